// A real OpenID provider (panva's oidc-provider, OpenID certified) for the single sign-on tests
// and for trying sign-in by hand. It stands in for Entra ID and Ansattporten: PKCE required,
// state and nonce, the `iss` of RFC 9207 in the authorization response, RP-initiated logout,
// and the claims our app reads (`roles`, `directorate`, Ansattporten's `authorization_details`
// with the organisation number, `acr`, `amr`, `sid`). Its login form lets the tester pick the
// person, their roles, the acr and the amr. In-memory storage and a fresh key at each start:
// for tests and local use only, never for real people.
//
//   node tests/oidc/op.mjs --port 9400 --app http://127.0.0.1:8000 --provider local
//
// prints "oidc-provider listening on http://127.0.0.1:9400" when ready. Options:
//   --port N           port on 127.0.0.1 (0: any free port; the line above tells which)
//   --app URL[,URL]    the application's address(es): its redirect and logout addresses
//   --provider NAME    the provider's name in the app (OIDC_PROVIDERS; "default" for OIDC_*)
//   --client-id ID     (default bolig)   --client-secret S (default bolig-lokal-hemmelighet)
import http from 'node:http';
import { parseArgs } from 'node:util';

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '9400' },
    app: { type: 'string', default: 'http://127.0.0.1:8000' },
    provider: { type: 'string', default: 'default' },
    'client-id': { type: 'string', default: 'bolig' },
    'client-secret': { type: 'string', default: 'bolig-lokal-hemmelighet' },
  },
});

const ACR_VALUES = ['idporten-loa-substantial', 'idporten-loa-high', 'entraid', 'idporten-loa-low'];
// A test-only organisation number (a valid-looking nine digits, no real body's).
const TEST_ORGNO = '910000001';
// The special person whose id_token is re-signed for another audience (the app must refuse it).
const OTHER_AUDIENCE_USER = 'annen-mottaker';

const PEOPLE = {
  koordinator: {
    name: 'Kari Koordinator', roles: ['Bolig.Koordinator'], amr: ['pwd', 'mfa'],
    acr: 'idporten-loa-substantial',
  },
  direktorat: {
    name: 'Dina Direktorat', roles: ['Bolig.Direktorat'], directorate: 'AVdir', amr: ['pwd'],
  },
  'ansatt-orgnr': {
    name: 'Ola Orgnummer', roles: ['Bolig.Direktorat'], orgno: TEST_ORGNO,
    amr: ['entraid_pwd', 'entraid_mfa'], acr: 'entraid',
  },
  leser: { name: 'Lise Leser', roles: ['Bolig.Leser'], amr: ['pwd'] },
  admin: { name: 'Anders Admin', roles: ['Bolig.Admin'], amr: ['pwd', 'mfa'] },
  'uten-rolle': { name: 'Ulf Utenrolle', roles: [], amr: ['pwd'] },
  [OTHER_AUDIENCE_USER]: { name: 'Anne Annenmottaker', roles: ['Bolig.Leser'], amr: ['pwd'] },
};

// Ansattporten's `authorization_details` of each authorization request, by its state. Taken off
// the request before oidc-provider sees it: oidc-provider would take it for a Rich
// Authorization Request for an API (resource indicators), not Ansattporten's claim.
const detailsByState = new Map();

// What the last login chose for each person: roles (overriding theirs) and whether the client
// asked for the organisation number (authorization_details type ansattporten:orgno).
const chosen = new Map();

const port = Number(options.port);
const server = http.createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'op-test-key', alg: 'RS256', use: 'sig' };

const apps = options.app.split(',').map((url) => url.replace(/\/$/, ''));
const providers = options.provider.split(',');
const client = {
  client_id: options['client-id'],
  client_secret: options['client-secret'],
  redirect_uris: apps.flatMap((app) => providers.map((name) => `${app}/sso/${name}/callback/`)),
  post_logout_redirect_uris: apps.map((app) => `${app}/login/`),
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
};
const frontchannelLogoutUris = apps.map((app) => `${app}/sso/${providers[0]}/frontchannel-logout/`);

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function wantsOrgno(details) {
  try {
    return JSON.parse(details || '[]').some((d) => d.type === 'ansattporten:orgno');
  } catch {
    return false;
  }
}

const provider = new Provider(issuer, {
  clients: [client],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['op-test-cookie-key'] },
  pkce: { required: () => true },
  acrValues: ACR_VALUES,
  conformIdTokenClaims: false, // the claims of the scopes go into the id_token, as Entra's do
  claims: {
    openid: ['sub', 'amr', 'roles', 'directorate', 'authorization_details'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = page('Logge ut?', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logg meg ut</button>
<button type="submit" form="op.logoutForm">Nei, forbli innlogget</button>`);
      },
      postLogoutSuccessSource(ctx) {
        ctx.body = page('Du er logget ut', '<p>Du er logget ut hos testleverandøren.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async loadExistingGrant(ctx) {
    // Every client is trusted here: the grant covers whatever it asked for (no consent page).
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        const choice = chosen.get(id) || {};
        const [given, ...family] = person.name.split(' ');
        const claims = {
          sub: id,
          name: person.name,
          given_name: given,
          family_name: family.join(' '),
          email: `${id}@test.example`,
          email_verified: true,
          roles: choice.roles ?? person.roles,
        };
        if (person.directorate) claims.directorate = person.directorate;
        if (person.orgno && choice.orgno) {
          claims.authorization_details = [{
            type: 'ansattporten:orgno',
            orgno: { Authority: 'iso6523-actorid-upis', ID: `0192:${person.orgno}` },
          }];
        }
        return claims;
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Feil hos testleverandøren', `<pre>${escape(JSON.stringify(out, null, 2))}</pre>`);
  },
});
provider.proxy = false;

// oidc-provider puts `sid` into the id_token only for back-channel logout clients; Ansattporten
// sends it to clients registered for front-channel logout, as this one stands for.
provider.Client.prototype.includeSid = () => true;

// The id_token of OTHER_AUDIENCE_USER, re-signed with the provider's own key for another
// audience (azp still names the app, so only the `aud` check can refuse it).
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body?.id_token) return;
  const [, payload] = ctx.body.id_token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url'));
  if (claims.sub !== OTHER_AUDIENCE_USER) return;
  ctx.body = {
    ...ctx.body,
    id_token: await new SignJWT({ ...claims, aud: 'en-annen-tjeneste', azp: client.client_id })
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .sign(privateKey),
  };
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function loginForm(uid, params, details) {
  const requested = (params.acr_values || '').split(' ').filter(Boolean);
  const people = Object.entries(PEOPLE).map(([id, p]) => `<option value="${escape(id)}">${escape(id)}: ${escape(p.name)} (${escape(p.roles.join(', ') || 'ingen roller')})</option>`);
  const acrs = ['', ...ACR_VALUES].map((acr) => `<option value="${escape(acr)}"${acr === (requested[0] || '') ? ' selected' : ''}>${escape(acr || '(ingen acr)')}</option>`);
  return page('Testleverandør: logg inn', `
<p>Velg hvem du er. Organisasjonsnummer ${wantsOrgno(details) ? 'er bedt om' : 'er ikke bedt om'}.</p>
<form method="post" action="/interaction/${escape(uid)}">
  <p><label for="user">Bruker</label><br><select id="user" name="user">${people.join('')}</select></p>
  <p><label for="roles">Roller (kommaseparert; tomt: brukerens egne)</label><br><input id="roles" name="roles"></p>
  <p><label for="acr">acr</label><br><select id="acr" name="acr">${acrs.join('')}</select></p>
  <p><label for="amr">amr (kommaseparert; tomt: brukerens egne)</label><br><input id="amr" name="amr"></p>
  <p><button type="submit">Logg inn hos testleverandøren</button></p>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Avbryt</button></form>`);
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  const match = url.pathname.match(/^\/interaction\/([\w-]+)(\/abort)?$/);
  if (url.pathname === '/auth' && url.searchParams.has('authorization_details')) {
    detailsByState.set(url.searchParams.get('state'), url.searchParams.get('authorization_details'));
    url.searchParams.delete('authorization_details');
    req.url = `${url.pathname}${url.search}`;
  }
  try {
    if (match && req.method === 'GET') {
      const { uid, params } = await provider.interactionDetails(req, res);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginForm(uid, params, detailsByState.get(params.state)));
      return;
    }
    if (match && req.method === 'POST' && match[2]) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: 'Brukeren avbrøt innloggingen',
      }, { mergeWithLastSubmission: false });
      return;
    }
    if (match && req.method === 'POST') {
      const { params } = await provider.interactionDetails(req, res);
      const details = detailsByState.get(params.state);
      const form = await readForm(req);
      const id = form.get('user');
      const person = PEOPLE[id];
      if (!person) throw new Error(`unknown user ${id}`);
      const list = (name) => form.get(name).split(',').map((s) => s.trim()).filter(Boolean);
      chosen.set(id, {
        roles: form.get('roles') ? list('roles') : undefined,
        orgno: wantsOrgno(details),
      });
      const login = { accountId: id, amr: form.get('amr') ? list('amr') : person.amr };
      if (form.get('acr')) login.acr = form.get('acr');
      await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
      return;
    }
    if (url.pathname === '/test/frontchannel-logout') {
      // The provider's front-channel logout of the app's session `sid`: a page of the
      // provider that frames the app's front-channel logout address, as Ansattporten does.
      const sid = url.searchParams.get('sid') || '';
      const frames = frontchannelLogoutUris.map((uri) => `<iframe title="Utlogging" src="${escape(`${uri}?iss=${encodeURIComponent(issuer)}&sid=${encodeURIComponent(sid)}`)}"></iframe>`);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Logger ut av tjenestene', frames.join('')));
      return;
    }
  } catch (error) {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Feil hos testleverandøren', `<pre>${escape(error.message)}</pre>`));
    return;
  }
  callback(req, res);
});

console.log(`oidc-provider listening on ${issuer}`);
