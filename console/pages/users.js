// @ts-check
// Placeholder until this page is built.
/** @type {import('../app.js').PageFunction} */
export async function usersPage() {
  return { title: 'Not built yet', content: [] };
}
/** @type {import('../app.js').PageFunction} */
export async function userPage() {
  return { title: 'Not built yet', content: [] };
}
