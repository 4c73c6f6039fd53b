"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { revokeLinkAction, type RevokeState } from "./actions";

export function RevokeButton({ linkId, who, pendingInvite }: { linkId: string; who: string; pendingInvite: boolean }) {
  const [state, action, pending] = useActionState<RevokeState, FormData>(revokeLinkAction, {});
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(pendingInvite ? `Cancel the invite for ${who}?` : `Stop sharing with ${who}? They lose access immediately.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="linkId" value={linkId} />
      <Button type="submit" variant="danger" disabled={pending}>
        {pendingInvite ? "Cancel invite" : `Revoke access for ${who}`}
      </Button>
      {state.message ? <p className="mt-1 text-sm text-red-800">{state.message}</p> : null}
    </form>
  );
}
