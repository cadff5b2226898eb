// @ts-check
// Placeholder until this page is built.
/** @type {import('../app.js').PageFunction} */
export async function groupsPage() {
  return { title: 'Not built yet', content: [] };
}
/** @type {import('../app.js').PageFunction} */
export async function groupPage() {
  return { title: 'Not built yet', content: [] };
}
