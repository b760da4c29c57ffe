import { Link } from "../ui/Link";

export function NotFoundPage() {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16">
      <div className="glass p-8 text-center">
        <h1 className="text-2xl font-bold">Nothing here</h1>
        <p className="mt-2 text-muted">This page doesn't exist.</p>
        <Link href="/" className="btn btn-primary mt-6">
          Go home
        </Link>
      </div>
    </main>
  );
}
