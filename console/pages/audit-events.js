// @ts-check
// Placeholder until this page is built.
/** @type {import('../app.js').PageFunction} */
export async function auditEventsPage() {
  return { title: 'Not built yet', content: [] };
}
