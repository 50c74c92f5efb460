// Types of scripts/contract.cjs for the tests (test/helpers/contract.ts).
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}
export function loadContract(): OpenApiDocument;
export function pendingPaths(): string[];
export const SERVER_DOC: string;
export const PENDING_DOC: string;
