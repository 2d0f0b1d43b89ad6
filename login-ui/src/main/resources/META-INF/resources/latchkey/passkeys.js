// Passkeys (WebAuthn Level 3) on Latchkey's pages. No fetch: the server renders the ceremony options into
// <script type="application/json" id="passkey-options"> (data, never executed) and the result goes back by filling a
// form's hidden inputs and submitting it, so the pages need script-src 'self' and no connect-src.
(function () {
  'use strict';

  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(value) {
    var text = atob(value.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((value.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function readOptions() {
    var block = document.getElementById('passkey-options');
    if (!block) {
      return null;
    }
    try {
      return JSON.parse(block.textContent);
    } catch (e) {
      return null;
    }
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var descriptor = { type: d.type, id: fromBase64url(d.id) };
      if (d.transports && d.transports.length) {
        descriptor.transports = d.transports;
      }
      return descriptor;
    });
  }

  // PublicKeyCredentialRequestOptionsJSON -> PublicKeyCredentialRequestOptions (WebAuthn §5.1.4), by hand where
  // parseRequestOptionsFromJSON is missing.
  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return {
      challenge: fromBase64url(json.challenge),
      timeout: json.timeout,
      rpId: json.rpId,
      allowCredentials: descriptors(json.allowCredentials),
      userVerification: json.userVerification
    };
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return {
      rp: json.rp,
      user: { id: fromBase64url(json.user.id), name: json.user.name, displayName: json.user.displayName },
      challenge: fromBase64url(json.challenge),
      pubKeyCredParams: json.pubKeyCredParams,
      timeout: json.timeout,
      excludeCredentials: descriptors(json.excludeCredentials),
      authenticatorSelection: json.authenticatorSelection,
      attestation: json.attestation
    };
  }

  function setField(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  // The words come from the page (data-message-cancelled, data-message-failed, data-message-unsupported on the
  // alert element), so they are in the page's language.
  function showProblem(error) {
    var alert = document.getElementById('passkey-problem');
    if (!alert) {
      return;
    }
    var kind = error && error.name === 'NotAllowedError' ? 'cancelled'
      : error && error.name === 'InvalidStateError' ? 'exists'
        : error && error.name === 'NotSupportedError' ? 'unsupported' : 'failed';
    alert.textContent = alert.getAttribute('data-message-' + kind) || alert.getAttribute('data-message-failed') || '';
    alert.hidden = false;
  }

  function submitAssertion(credential) {
    var form = document.getElementById('passkey-form');
    var response = credential.response;
    setField(form, 'credential_id', toBase64url(credential.rawId));
    setField(form, 'client_data_json', toBase64url(response.clientDataJSON));
    setField(form, 'authenticator_data', toBase64url(response.authenticatorData));
    setField(form, 'signature', toBase64url(response.signature));
    setField(form, 'user_handle', response.userHandle ? toBase64url(response.userHandle) : '');
    form.submit();
  }

  var pending = null;

  function signIn(json, mediation) {
    if (pending) {
      // A modal request while the conditional one waits would be refused (one ceremony at a time): end it first.
      pending.abort();
    }
    var controller = new AbortController();
    pending = controller;
    var options = { publicKey: requestOptions(json), signal: controller.signal };
    if (mediation) {
      options.mediation = mediation;
    }
    return navigator.credentials.get(options).then(function (credential) {
      if (pending === controller) {
        pending = null;
      }
      if (credential) {
        submitAssertion(credential);
      }
    }, function (error) {
      if (pending === controller) {
        pending = null;
      }
      // An aborted conditional request is ours, not the person's problem.
      if (error && error.name === 'AbortError') {
        return;
      }
      if (!mediation) {
        showProblem(error);
      }
    });
  }

  function showButton(id, onClick) {
    var button = document.getElementById(id);
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function (event) {
      event.preventDefault();
      onClick(button);
    });
  }

  function register(json) {
    var form = document.getElementById('passkey-create-form');
    navigator.credentials.create({ publicKey: creationOptions(json) }).then(function (credential) {
      var response = credential.response;
      setField(form, 'credential_id', toBase64url(credential.rawId));
      setField(form, 'client_data_json', toBase64url(response.clientDataJSON));
      setField(form, 'attestation_object', toBase64url(response.attestationObject));
      setField(form, 'transports', response.getTransports ? response.getTransports().join(',') : '');
      var name = document.getElementById('passkey-name');
      setField(form, 'name', name ? name.value : '');
      form.submit();
    }, showProblem);
  }

  function start() {
    var json = readOptions();
    if (!json) {
      return;
    }
    if (document.getElementById('passkey-create-form')) {
      showButton('create-passkey', function () {
        register(json);
      });
      var create = document.getElementById('passkey-create-section');
      if (create) {
        create.hidden = false;
      }
      return;
    }
    if (!document.getElementById('passkey-form')) {
      return;
    }
    // Tells the server this browser can make a passkey here, so that one is offered after a password sign-in.
    var capable = document.getElementById('passkey-capable');
    if (capable && PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable) {
      PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().then(function (available) {
        capable.value = available ? 'true' : '';
      }, function () {});
    }
    // Second-factor page: the allow list in the options names the person's passkeys.
    showButton('use-passkey', function () {
      signIn(json, null);
    });
    // Login page: a button for a modal request, and passkeys offered in the username field's autofill (conditional
    // mediation, WebAuthn §5.1.4.1) where the browser can.
    showButton('passkey-sign-in', function () {
      signIn(json, null);
    });
    if (document.querySelector('input[autocomplete~="webauthn"]') && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (available) {
          signIn(json, 'conditional');
        }
      }, function () {});
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
