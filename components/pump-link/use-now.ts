"use client";

import { useEffect, useState } from "react";

/** The current time, re-rendered every `intervalMs`, so ages ("read 2 min ago") stay true. */
export function useNow(intervalMs = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
