// A real OpenID Connect provider (node's oidc-provider) standing in for the province's identity
// provider in the console's single sign-on tests.
//
//   node provider.js <port> <redirect-uri>     (or OIDC_PORT / OIDC_REDIRECT_URI in the environment)
//
// One confidential client, `motcua-console` / `bi-mat-thu-nghiem`, allowed to come back only to the
// console's callback given as the redirect URI. Sign-in uses oidc-provider's development
// interactions (any password; the login name picks the account below), which tests drive over HTTP.
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT || 0);
const redirectUri = process.argv[3] || process.env.OIDC_REDIRECT_URI;
if (!port || !redirectUri) {
  console.error('usage: node provider.js <port> <redirect-uri>');
  process.exit(2);
}

// Login name -> the claims the province would release for that person.
const ACCOUNTS = {
  son: { name: 'Quàng Văn Sơn', roles: ['specialist'], unit: '04222' },
  // Known to the province, but not an officer of the one-stop desk.
  dan: { name: 'Lò Thị Dân', roles: ['citizen'], unit: '04222' },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'motcua-console',
    client_secret: 'bi-mat-thu-nghiem',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // The console asks for "openid profile"; this province releases roles and unit with the profile.
  // With conformIdTokenClaims (the default) they reach the console through userinfo, not the ID token.
  claims: { openid: ['sub'], profile: ['name', 'roles', 'unit'] },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc provider listening on http://127.0.0.1:${port}`);
});
