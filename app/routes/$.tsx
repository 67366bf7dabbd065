import { ErrorPage } from "~/ui/error-page";

/** Every unknown address ends here and answers 404 with the friendly page. */
export function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

export function ErrorBoundary() {
  return <ErrorPage status={404} />;
}
