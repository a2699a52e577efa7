"""A small OpenID Connect provider for tests, on 127.0.0.1: discovery, JWKS, authorize, token, userinfo.

`authorize` approves at once, as whoever `provider.user` names (tests change it between sign-ins).
ID tokens are RS256-signed with a key made at start-up (joserfc); PKCE (S256) is checked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class OidcProvider:
    client_id: str
    client_secret: str
    user: dict[str, Any]
    port: int = 0
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-key"}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def start(self) -> OidcProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return None

            def _json(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                url = urlparse(self.path)
                provider.requests.append(url.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.metadata())
                elif url.path == "/jwks":
                    self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    self._authorize(query)
                elif url.path == "/userinfo":
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    self._json(200 if claims else 401, claims or {"error": "invalid_token"})
                else:
                    self._json(404, {"error": "not_found"})

            def _authorize(self, query: dict[str, str]) -> None:
                if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {**query, "user": dict(provider.user)}
                target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                provider.requests.append(urlparse(self.path).path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                client_id, client_secret = form.get("client_id"), form.get("client_secret")
                basic = self.headers.get("Authorization") or ""
                if basic.startswith("Basic "):
                    client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
                grant = provider.codes.pop(form.get("code", ""), None)
                if (client_id, client_secret) != (provider.client_id, provider.client_secret) or grant is None:
                    self._json(400, {"error": "invalid_grant"})
                    return
                challenge = grant.get("code_challenge")
                if challenge:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
                        self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                        return
                now = int(time.time())
                user = grant["user"]
                claims = {"iss": provider.issuer, "aud": provider.client_id, "sub": user["sub"], "iat": now,
                          "exp": now + 300, "nonce": grant.get("nonce"), **user}
                id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, provider.key)
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = dict(user)
                self._json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                                 "id_token": id_token, "scope": "openid email profile"})

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
