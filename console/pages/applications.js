// @ts-check
import { api, call } from '../api.js';
import { actionButton, announce, applicationTabs, copyButton, facts, form, h, refusal, secretOnce, section, trail, when } from '../ui.js';


/** @typedef {import('../../generated/openapi.js').components['schemas']['ApplicationSettings']} ApplicationSettings */
/** @typedef {import('../../generated/openapi.js').components['schemas']['AppSessionAccess']} AppSessionAccess */

/** The units a lifetime is written in, in seconds, largest first. @type {Array<[string, number]>} */
const units = [['days', 86400], ['hours', 3600], ['minutes', 60]];
/** The bounds of `sessionttl` and `sessionlifetime` (openapi.yaml ApplicationSettingsInput), in seconds. */
const sessionBounds = { least: 60, most: 2592000 };
const serverDefaultTokenLife = '7 days';

/**
 * A number of seconds in the largest unit that holds it whole (`7200` → 2 hours), for the unit
 * selects; a count no whole minute fits is shown in minutes with a fraction.
 * @param {number} seconds
 * @returns {{ amount: string, unit: string }}
 */
function inUnits(seconds) {
  const [unit, size] = units.find(([, s]) => seconds % s === 0) ?? ['minutes', 60];
  return { amount: String(seconds / size), unit };
}

/** `7200` → "2 hours", `90` → "1.5 minutes". @param {number} seconds */
function lasting(seconds) {
  const { amount, unit } = inUnits(seconds);
  return `${amount} ${amount === '1' ? unit.slice(0, -1) : unit}`;
}

/**
 * The seconds a field and its unit say, or undefined when the field is empty.
 * @param {string | undefined} amount @param {string | undefined} unit @param {string} name the setting, for the error
 */
function seconds(amount, unit, name) {
  if (amount === undefined || amount.trim() === '') return undefined;
  const size = units.find(([u]) => u === unit)?.[1];
  const value = Number(amount);
  if (size === undefined || !Number.isFinite(value) || value < 0) throw refusal(`${name} must be a number of minutes, hours or days, 0 or more.`);
  return Math.round(value * size);
}

/** @param {string} name @param {string} label @param {string} value */
function unitField(name, label, value) {
  return { name, label, type: 'select', value, options: units.map(([u]) => /** @type {[string, string]} */ ([u, u])) };
}

/**
 * One application: what it is, its settings (token and QuickBlox session lifetimes, what an
 * application session may do), and its credentials with the way to rotate their secrets.
 * @type {import('../app.js').PageFunction}
 */
export async function applicationPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const path = { org, app };
  const [answer, keys] = await Promise.all([
    call(api.GET('/management/orgs/{org}/apps/{app}', { params: { path } })),
    call(api.GET('/management/orgs/{org}/apps/{app}/credentials', { params: { path } })),
  ]);
  const application = answer.data.application;
  const settings = application.settings;
  const credentials = keys.credentials;
  const newSecrets = h('div', {});
  return {
    title: `Application ${application.name}`,
    trail: trail(org, app),
    content: [
      applicationTabs(org, app, 'settings'),
      section('Application',
        facts([
          ['Name', application.name],
          ['Organization', application.organization],
          ['UUID', h('code', {}, application.uuid)],
          ['Created', when(application.created)],
          ['Changed', when(application.modified)],
        ])),
      section('Settings',
        facts(describeSettings(settings)),
        h('p', { class: 'muted' }, 'New lifetimes apply to tokens and sessions issued from now on; what application sessions may do applies at once, to open sessions too.'),
        settingsForm(settings, async (body) => {
          await call(api.PUT('/management/orgs/{org}/apps/{app}', { params: { path }, body }));
          // Drawn again from the server: what it now has is what the page shows.
          await context.reload([h('p', { class: 'notice', role: 'status' }, 'Settings saved. Shown below as the server now has them.')]);
        })),
      section('Credentials',
        h('p', { class: 'muted' }, 'The client id and secret act as an admin of this application; the QuickBlox application id, auth key and auth secret open QuickBlox sessions. Secrets are shown only when they are issued.'),
        facts([
          ['Client id', h('span', { class: 'actions' }, h('code', {}, credentials.client_id), copyButton(credentials.client_id, 'client id'))],
          ['QuickBlox application id', h('span', { class: 'actions' }, h('code', {}, String(credentials.application_id)), copyButton(String(credentials.application_id), 'QuickBlox application id'))],
          ['QuickBlox auth key', h('span', { class: 'actions' }, h('code', {}, credentials.auth_key), copyButton(credentials.auth_key, 'QuickBlox auth key'))],
        ]),
        newSecrets,
        actionButton('Rotate secrets', `Issue a new client secret and QuickBlox auth secret for ${app}? The current ones stop working at once: every server and app using them must be given the new ones.`, async () => {
          const rotated = await call(api.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path } }));
          const c = rotated.credentials;
          newSecrets.replaceChildren(secretOnce(`New secrets of ${app}`, [['Client id', c.client_id], ['Client secret', c.client_secret], ['QuickBlox auth secret', c.auth_secret]]));
          announce('New secrets issued; the old ones no longer work');
        })),
    ],
  };
}

/** The saved settings in words. @param {ApplicationSettings} settings @returns {Array<[string, string]>} */
function describeSettings(settings) {
  const ttl = settings.accesstokenttl;
  return [
    ['Longest life of a user’s token', ttl === null ? `the server’s default (${serverDefaultTokenLife})` : ttl === 0 ? 'never expire' : lasting(ttl / 1000)],
    ['QuickBlox session idle time', lasting(settings.sessionttl)],
    ['QuickBlox session lifetime', lasting(settings.sessionlifetime)],
    ['Application sessions may', settings.appsessionaccess === 'read-all' ? 'read everything (read-all)' : 'do what guests may (guest)'],
  ];
}

/**
 * The settings form, filled with the saved values, each lifetime as an amount and a unit.
 * @param {ApplicationSettings} settings
 * @param {(body: import('../../generated/openapi.js').components['schemas']['ApplicationSettingsInput']) => Promise<void>} save
 */
function settingsForm(settings, save) {
  const ttl = settings.accesstokenttl;
  const token = ttl === null ? { amount: '', unit: 'days' } : ttl % 1000 === 0 ? inUnits(ttl / 1000) : { amount: String(ttl / 60000), unit: 'minutes' };
  const idle = inUnits(settings.sessionttl);
  const lifetime = inUnits(settings.sessionlifetime);
  const element = form({
    label: 'Application settings',
    submit: 'Save settings',
    fields: [
      { name: 'accesstokenttl', label: 'Longest life of a user’s token', type: 'number', value: token.amount, min: 0, hint: `Empty: the server’s default (${serverDefaultTokenLife}). 0: user tokens never expire. A user may ask for a shorter life, never a longer one. (accesstokenttl in the API)` },
      unitField('accesstokenttl_unit', 'Unit of the token life', token.unit),
      { name: 'sessionttl', label: 'QuickBlox session idle time', type: 'number', value: idle.amount, required: true, min: 0, hint: 'A QuickBlox session ends after this long without a request: between 1 minute and 30 days; QuickBlox’s is 2 hours. (sessionttl in the API)' },
      unitField('sessionttl_unit', 'Unit of the idle time', idle.unit),
      { name: 'sessionlifetime', label: 'QuickBlox session lifetime', type: 'number', value: lifetime.amount, required: true, min: 0, hint: 'A QuickBlox session ends this long after it was opened, however much it is used: between 1 minute and 30 days. (sessionlifetime in the API)' },
      unitField('sessionlifetime_unit', 'Unit of the session lifetime', lifetime.unit),
      {
        name: 'appsessionaccess',
        label: 'What application sessions may do',
        type: 'select',
        value: settings.appsessionaccess,
        options: [['guest', 'Guest: what the guest role allows, read-only'], ['read-all', 'Read all: read the whole application, always sign users up']],
        hint: 'An application session is one opened with the QuickBlox keys alone, no user signed in. Those keys ship inside client apps, so guest treats such a session as the anonymous caller it is; read all is QuickBlox’s own behaviour. Applies at once. (appsessionaccess in the API)',
      },
    ],
    onSubmit: async (values) => {
      const tokenSeconds = seconds(values.accesstokenttl, values.accesstokenttl_unit, 'accesstokenttl');
      const idleSeconds = seconds(values.sessionttl, values.sessionttl_unit, 'sessionttl');
      const lifetimeSeconds = seconds(values.sessionlifetime, values.sessionlifetime_unit, 'sessionlifetime');
      for (const [name, value] of /** @type {Array<[string, number | undefined]>} */ ([['sessionttl', idleSeconds], ['sessionlifetime', lifetimeSeconds]])) {
        if (value === undefined || value < sessionBounds.least || value > sessionBounds.most) throw refusal(`${name} must be between 1 minute and 30 days.`);
      }
      const access = values.appsessionaccess === 'read-all' ? 'read-all' : 'guest';
      await save({
        accesstokenttl: tokenSeconds === undefined ? null : tokenSeconds * 1000,
        sessionttl: idleSeconds,
        sessionlifetime: lifetimeSeconds,
        appsessionaccess: access,
      });
    },
  });
  // Lifetimes may be fractions of their unit (1.5 hours); the form's numbers are whole unless told.
  for (const input of element.querySelectorAll('input[type=number]')) input.setAttribute('step', 'any');
  return element;
}
