// Passkeys (WebAuthn) through django-otp-webauthn's JSON endpoints: adding one on the two-factor
// page (data-passkey="register") and signing in with one (data-passkey="verify"). The button
// carries the endpoints, the CSRF token and the texts; it stays hidden where the browser has no
// WebAuthn, and the page works without it (the code form).
(() => {
  "use strict";

  const toBuffer = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  };
  const toText = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: toBuffer(item.id) }));

  async function post(url, csrf, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? "" : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || "");
    return data;
  }

  async function register(options) {
    const credential = await navigator.credentials.create({
      publicKey: {
        ...options,
        challenge: toBuffer(options.challenge),
        user: { ...options.user, id: toBuffer(options.user.id) },
        excludeCredentials: withIds(options.excludeCredentials),
      },
    });
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
    };
  }

  async function verify(options) {
    const credential = await navigator.credentials.get({
      publicKey: {
        ...options,
        challenge: toBuffer(options.challenge),
        allowCredentials: withIds(options.allowCredentials),
      },
    });
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : null,
      },
    };
  }

  for (const button of document.querySelectorAll("[data-passkey]")) {
    if (!window.PublicKeyCredential || !navigator.credentials) continue;
    const status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", async () => {
      const { begin, complete, csrf, busy, failed } = button.dataset;
      button.disabled = true;
      status.textContent = busy;
      try {
        const options = await post(begin, csrf);
        const ceremony = button.dataset.passkey === "register" ? register : verify;
        const result = await post(complete, csrf, await ceremony(options));
        window.location.assign(result.redirect_url);
      } catch (error) {
        status.textContent = error.message && error.name === "Error" ? `${failed} ${error.message}` : failed;
        button.disabled = false;
        button.focus();
      }
    });
  }
})();
