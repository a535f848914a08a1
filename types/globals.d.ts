// Types of the extension's JS that no module exports (checked by tsconfig.json, never shipped).

/** A form field as the content script describes it (scored by src/fill.rs). */
interface OtpdockField {
  idx: number;
  [key: string]: unknown;
}
/** One value for one field, by its index in the content script's list. */
interface OtpdockWrite {
  idx: number;
  value: string;
}
/** What extension/content/fill.js puts on the page's globalThis (an isolated world). */
interface OtpdockPage {
  collect(): OtpdockField[];
  apply(writes: OtpdockWrite[], split: boolean, select: OtpdockWrite | null): Promise<{ filled: number; expected: number }>;
}
declare var __otpdock: OtpdockPage | undefined;
/** What the background hands extension/content/chip.js to show. */
interface OtpdockChipOffer {
  nonce: string;
  rect: { x: number; y: number; w: number; h: number };
  ttl: number;
  text: string;
  label: string;
  close: string;
}
/** What extension/content/chip.js puts on the page's globalThis (an isolated world). */
interface OtpdockChip {
  show(o: OtpdockChipOffer): void;
  remove(): void;
}
declare var __otpdockChip: OtpdockChip | undefined;
