/**
 * Bytes that a codec cannot decode. `at` is the compressed byte offset of the frame or block
 * where decoding failed; `truncated` says the bytes simply stop inside a frame, which is normal
 * at the tail of a log Spark is still writing.
 */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly truncated = false,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}
