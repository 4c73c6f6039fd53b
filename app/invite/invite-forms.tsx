"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { acceptInviteAction, signUpWithInviteAction, type InviteAcceptState } from "./actions";

export function AcceptInviteForm({ initialCode }: { initialCode: string }) {
  const [state, action, pending] = useActionState<InviteAcceptState, FormData>(acceptInviteAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message ? <Alert tone="danger" live>{state.message}</Alert> : null}
      <Field label="Invite code" name="code" defaultValue={state.values?.code ?? initialCode} error={state.fields?.code} autoComplete="off" autoCapitalize="characters" />
      <Button type="submit" disabled={pending}>
        {pending ? "Linking…" : "Accept invite"}
      </Button>
    </form>
  );
}

export function SignUpWithInviteForm({ initialCode }: { initialCode: string }) {
  const [state, action, pending] = useActionState<InviteAcceptState, FormData>(signUpWithInviteAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message ? <Alert tone="danger" live>{state.message}</Alert> : null}
      <Field label="Invite code" name="code" defaultValue={state.values?.code ?? initialCode} error={state.fields?.code} autoComplete="off" />
      <Field label="Your name" name="name" defaultValue={state.values?.name} error={state.fields?.name} autoComplete="name" />
      <Field label="E-mail" name="email" type="email" defaultValue={state.values?.email} error={state.fields?.email} autoComplete="email" />
      <Field label="Choose a password" name="password" type="password" hint="At least 10 characters." error={state.fields?.password} autoComplete="new-password" />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and accept"}
      </Button>
    </form>
  );
}
