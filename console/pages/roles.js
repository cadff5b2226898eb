// @ts-check
// Placeholder until this page is built.
/** @type {import('../app.js').PageFunction} */
export async function rolesPage() {
  return { title: 'Not built yet', content: [] };
}
/** @type {import('../app.js').PageFunction} */
export async function rolePage() {
  return { title: 'Not built yet', content: [] };
}
