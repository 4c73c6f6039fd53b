/** Colours the installed app uses before any CSS loads (manifest, theme-color meta); they match app/globals.css. */
export const THEME_COLOR = "#1d5fbf";
export const BACKGROUND_COLOR = "#f6f8fb";
