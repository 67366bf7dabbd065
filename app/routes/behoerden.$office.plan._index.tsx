/**
 * The plan's overview page – skeleton; the plan-core work fills it (start from a round's
 * priorities, measures, activities, progress).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { planScope } from "./behoerden.$office.plan";
import { can } from "~/platform/auth/can";
import { PlanFileLinks } from "~/domains/plan/plan-file-links";

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  return {
    office: { id: office.id, name: office.name },
    readable: can(actor, "plan.read", subject),
    hasPlan: plan !== null,
    canContribute: can(actor, "plan.contribute", subject),
  };
}

export default function PlanPage() {
  const { office, readable, hasPlan, canContribute } = useLoaderData<typeof loader>();
  const { t } = useTranslation("plan");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      {readable && hasPlan ? <PlanFileLinks officeId={office.id} showImport={canContribute} /> : null}
    </>
  );
}
