import Link from "next/link";

/** The app's own 404 page (Next's built-in one carries an inline style the CSP would need a hash for). */
export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 p-6">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p>That page does not exist, or you do not have access to it.</p>
      <p>
        <Link className="font-semibold underline" href="/">
          Go to my home page
        </Link>
      </p>
    </main>
  );
}
