"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { cancelRefillAction, completeRefillAction, moveRefillAction, scheduleRefillAction, type RefillFormState } from "./actions";

type Action = (s: RefillFormState, f: FormData) => Promise<RefillFormState>;

function useRefillForm(action: Action) {
  return useActionState<RefillFormState, FormData>(action, {});
}

function Status({ state }: { state: RefillFormState }) {
  if (state.ok) return <Alert tone="success" live>{state.ok}</Alert>;
  if (state.message) return <Alert tone="danger" live>{state.message}</Alert>;
  return null;
}

export function ScheduleForm({ patientId, timeZone, defaultLocation }: { patientId: string; timeZone: string; defaultLocation: string }) {
  const [state, action, pending] = useRefillForm(scheduleRefillAction);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="patientId" value={patientId} />
      <Status state={state} />
      <Field label={`Date and time (${timeZone})`} name="scheduledAtLocal" type="datetime-local" error={state.fields?.scheduledAtLocal} />
      <Field label="Duration (minutes)" name="durationMinutes" inputMode="numeric" defaultValue="30" error={state.fields?.durationMinutes} />
      <Field label="Place" name="location" defaultValue={defaultLocation} error={state.fields?.location} />
      <Button type="submit" disabled={pending}>Book refill</Button>
    </form>
  );
}

export function ManageAppointment({ patientId, appointmentId, timeZone, localValue, capacityUl }: { patientId: string; appointmentId: string; timeZone: string; localValue: string; capacityUl: number }) {
  const [moveState, move, moving] = useRefillForm(moveRefillAction);
  const [cancelState, cancel, cancelling] = useRefillForm(cancelRefillAction);
  const [doneState, complete, completing] = useRefillForm(completeRefillAction);
  const idFields = (
    <>
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="appointmentId" value={appointmentId} />
    </>
  );
  return (
    <div className="flex flex-col gap-6">
      <form action={move} className="flex flex-col gap-3" noValidate>
        {idFields}
        <Status state={moveState} />
        <Field label={`Move to (${timeZone})`} name="scheduledAtLocal" type="datetime-local" defaultValue={localValue} error={moveState.fields?.scheduledAtLocal} id={`move-${appointmentId}`} />
        <Button type="submit" variant="secondary" disabled={moving}>Move appointment</Button>
      </form>
      <form action={complete} className="flex flex-col gap-3" noValidate>
        {idFields}
        <Status state={doneState} />
        <Field label="Volume added (µL)" name="volumeAddedUl" inputMode="numeric" error={doneState.fields?.volumeAddedUl} id={`added-${appointmentId}`} />
        <Field label="New reservoir volume (µL)" name="newReservoirUl" inputMode="numeric" defaultValue={String(capacityUl)} error={doneState.fields?.newReservoirUl} id={`new-${appointmentId}`} />
        <Button type="submit" disabled={completing}>Record refill as done</Button>
      </form>
      <form
        action={cancel}
        onSubmit={(e) => {
          if (!window.confirm("Cancel this refill appointment?")) e.preventDefault();
        }}
      >
        {idFields}
        <Status state={cancelState} />
        <Button type="submit" variant="danger" disabled={cancelling}>Cancel appointment</Button>
      </form>
    </div>
  );
}
