/**
 * The building blocks every page repeats: a section with its heading, and a data table
 * with caption and column headers. One place for the markup that accessibility relies on
 * (aria-labelledby, caption, th scope) so a page cannot forget it.
 */
import { NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

/** `<section>` labelled by its `<h2>`; the heading's id is `id` (keep it stable: links and tests point at it). */
export function Section({
  id,
  title,
  children,
  className,
}: {
  id: string;
  title: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={id} className={className}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A table of data: caption, one header row (`th scope="col"`), and the body rows the page renders. */
export function DataTable({
  caption,
  columns,
  children,
  className = "data",
}: {
  caption: ReactNode;
  columns: ReactNode[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <table className={className}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th scope="col" key={i}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export type SubNavLink = {
  to: string;
  label: ReactNode;
  /** Active only on exactly this URL (an overview page), not on the pages below it. */
  end?: boolean;
  /** A plain link (e.g. to an anchor), never shown as the current page. */
  plain?: boolean;
};

/** The navigation between sibling pages of a layout (office, round, plan, network administration). */
export function SubNav({ label, links }: { label: string; links: SubNavLink[] }) {
  return (
    <nav aria-label={label} className="sub-nav">
      <ul>
        {links.map((l) => (
          <li key={l.to}>
            {l.plain ? (
              <a href={l.to}>{l.label}</a>
            ) : (
              <NavLink to={l.to} end={l.end}>
                {l.label}
              </NavLink>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
