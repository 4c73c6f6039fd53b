export * from "./users";
export * from "./clinics";
export * from "./patients";
export * from "./pump";
export * from "./audit";
