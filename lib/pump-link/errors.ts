/** Every malformed value is reported as one of these; codec callers never see another kind of exception. */
export type PumpLinkCodecErrorCode =
  | "bad_crc"
  | "bad_length"
  | "unknown_opcode"
  | "bad_value"
  | "unsupported_version";

export class PumpLinkCodecError extends Error {
  override readonly name = "PumpLinkCodecError";
  constructor(
    readonly code: PumpLinkCodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Failures below the protocol: the link, the GATT layer, the browser.
 * `disconnected` and `timeout` leave the outcome of an in-flight write UNKNOWN;
 * `gatt_error` means the peripheral answered with an ATT error (the write was refused);
 * `not_connected` means nothing was sent.
 */
export type PumpLinkTransportErrorKind =
  | "not_connected"
  | "disconnected"
  | "timeout"
  | "gatt_error"
  | "not_found"
  | "unsupported"
  | "cancelled"
  | "security";

export class PumpLinkTransportError extends Error {
  override readonly name = "PumpLinkTransportError";
  constructor(
    readonly kind: PumpLinkTransportErrorKind,
    message: string,
    /** ATT error code when the peripheral supplied one (e.g. 0x80 bad CRC, 0x0D bad length). */
    readonly attCode?: number,
  ) {
    super(message);
  }
}

/** Errors raised by the client for whole operations. */
export type PumpLinkErrorCode =
  | "link_lost" // reconnect attempts exhausted
  | "integrity" // values kept failing CRC/decoding after bounded retries
  | "device_refused" // the device answered a command with a non-success result
  | "protocol" // the device answered something inconsistent with the specification
  | "unsupported_version"
  | "log_reset" // the device's event log identity changed; resync from zero
  | "timeout";

export class PumpLinkError extends Error {
  override readonly name = "PumpLinkError";
  constructor(
    readonly code: PumpLinkErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
