import { html, type TemplateResult } from 'lit-html';
import { signInBasic, signInToken, type SignInScheme } from '../credentials.js';

/** The user name typed last: after a refused password only the password is typed again. */
let lastUser = '';

/** Shown instead of every page while the worker answers 401: it asks for what the worker's challenge names. */
export function signInPage(scheme: SignInScheme, signedIn: () => void, refused: boolean): TemplateResult {
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (key: string): string => String(form.get(key) ?? '');
    lastUser = value('user');
    if (scheme === 'basic') signInBasic(lastUser, value('password'));
    else signInToken(value('token'));
    signedIn();
  };
  const failed = refused
    ? html`<p class="outcome failed" role="alert">The worker refused these credentials.</p>`
    : '';
  if (scheme === 'certificate') {
    return html`<h1>Sign in</h1>
      <p class="empty" data-testid="sign-in">
        This worker authenticates clients by certificate (<code>rest.auth=mtls</code>): import your client
        certificate into the browser and reload the page.
      </p>`;
  }
  return html`<h1>Sign in</h1>
    <form class="sign-in" data-testid="sign-in" @submit=${submit}>
      <p>
        This worker needs ${scheme === 'basic' ? 'a user name and password' : 'an API token'}, the same as its
        REST API. They are kept for this tab only.
      </p>
      ${
        scheme === 'basic'
          ? html`<label>User <input name="user" autocomplete="username" required .value=${lastUser} /></label>
              <label
                >Password <input name="password" type="password" autocomplete="current-password" required
              /></label>`
          : html`<label>Token <input name="token" type="password" autocomplete="off" required /></label>`
      }
      ${failed}
      <button type="submit">Sign in</button>
    </form>`;
}
