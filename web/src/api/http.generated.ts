/* Generated from docs/openapi.json by scripts/http-types.mjs (npm run http:types). Do not edit. */
export interface paths {
    "/api/v1/auth/guest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A guest session with a chosen or a generated nickname */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["GuestBody"];
                };
            };
            responses: {
                /** @description Signed in as a guest */
                200: {
                    headers: {
                        /** @description `sw_refresh` (HttpOnly, Path=/api/v1/auth), rotated on every use */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `bad_request`: the body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with an email or a username */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginBody"];
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        /** @description `sw_refresh` (HttpOnly, Path=/api/v1/auth), rotated on every use */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `invalid_credentials` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: attempts per IP and per login; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session: the refresh token is revoked; with a bearer token, that access token and every socket of the session stop working at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        /** @description `sw_refresh` cleared */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The account, or the guest */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description `invalid_token`: the account no longer exists; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete the account and the personal data kept with it (the audit log stays, under its retention) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AccountDeletion"];
                };
            };
            responses: {
                /** @description Deleted: every session is signed out, the refresh cookie cleared */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `wrong_current_password`; `guest_account`; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: password checks per account; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything kept about the account, as a JSON download */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The export (format `syncwatch-export/1`): account, sessions, rooms, chat messages, friends, invitations, bans, uploads, reports filed, security events */
                200: {
                    headers: {
                        /** @description attachment; filename=…json */
                        "Content-Disposition"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `guest_account`: guests have no account */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the password: every other session is signed out */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PasswordChange"];
                };
            };
            responses: {
                /** @description Changed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignedOut"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `wrong_current_password`; `guest_account`; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: password checks per account; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with the token of a one-time link (`syncwatch admin reset-password`); every session of the account is signed out */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PasswordReset"];
                };
            };
            responses: {
                /** @description The new password is set */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `invalid_reset_link`: used, expired or unknown; `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new access token for the refresh cookie, which rotates */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A fresh session */
                200: {
                    headers: {
                        /** @description `sw_refresh` (HttpOnly, Path=/api/v1/auth), rotated on every use */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `invalid_token` (no, expired or revoked cookie) or `token_reused` (a rotated token used again: the whole session is revoked); the cookie is cleared */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account and sign in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RegisterBody"];
                };
            };
            responses: {
                /** @description Registered and signed in */
                201: {
                    headers: {
                        /** @description `sw_refresh` (HttpOnly, Path=/api/v1/auth), rotated on every use */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `email_taken` or `username_taken` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: registrations per IP; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's sessions: device, address, last seen, which is this one */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The sessions, the most recently seen first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountSessions"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `guest_account`: guests have no account */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Sign out every other session */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignedOut"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `guest_account`: guests have no account; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign out one session (this one too: then the refresh cookie is cleared) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the session_id */
                    session_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out: its tokens are refused and its sockets closed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `guest_account`: guests have no account; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `session_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Friends (with whether they are online) and pending requests both ways */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The lists */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FriendLists"];
                    };
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End a friendship, or withdraw or decline a request */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the user_id */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no friendship or request with this user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept a pending request */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AcceptBody"];
                };
            };
            responses: {
                /** @description Now friends */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FriendAccepted"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no pending request from this user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/block": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Block someone: ends any friendship or request; they can't request, invite or see you */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["BlockBody"];
                };
            };
            responses: {
                /** @description Blocked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: yourself; `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/block/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unblock someone */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the user_id */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Unblocked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: this user is not blocked */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask someone, by username, to be friends */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["FriendRequestBody"];
                };
            };
            responses: {
                /** @description Requested */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FriendRequested"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: nobody has that username */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `conflict`: already friends or already asked */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: yourself; `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/friends/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find people by the start of their username (someone who blocked you is not found) */
        get: {
            parameters: {
                query: {
                    /** @description the start of a username */
                    q: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Up to 20 people, shortest names first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserSearch"];
                    };
                };
                /** @description `unauthorized`: guests have no friends list; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `q` missing or longer than 64 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What you watched in the last 90 days: when, in which room and with whom */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WatchHistory"];
                    };
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Clear your watch history */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cleared */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Friend requests, invitations and reminders, newest first, with the unread count */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The centre */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Notifications"];
                    };
                };
                /** @description `unauthorized`: guests have no notifications; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Clear the notification centre */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cleared */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: guests have no notifications; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark these notifications read (all of them without `ids`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["ReadBody"];
                };
            };
            responses: {
                /** @description The unread count now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnreadNotifications"];
                    };
                };
                /** @description `bad_request`: the body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have no notifications; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The OpenAPI 3.1 document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a room (registered users) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateRoomBody"];
                };
            };
            responses: {
                /** @description The new room */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Room"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests cannot create rooms; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: rooms per user per hour; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `overloaded`: this server is saturated and takes no new rooms (`Retry-After`) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rooms/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room and how many people are in it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The room */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RoomWithCount"];
                    };
                };
                /** @description `room_not_found` (also once it has expired); a room its owner closed adds `"reason": "closed_by_owner"` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: too many wrong room codes from this address this hour; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Close a room (its owner); its members are closed with 4004 (reason `room_closed`) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_owner`; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `room_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rooms/{code}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check that joining would succeed (the WebSocket hello joins by itself): a full room says so first, then the password is asked unless the room admitted this person with its current password before */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["JoinRoomBody"];
                };
            };
            responses: {
                /** @description Joining would succeed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JoinCheck"];
                    };
                };
                /** @description `bad_request`: the body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `banned`; `guests_not_allowed`; `friends_only`; `invitation_required` (the room's privacy preset); `wrong_password` (also when none is given and one is needed); `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `room_not_found` (`reason: closed_by_owner` once its owner closed it) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `room_full` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: three wrong passwords per IP and room block it for 30 minutes; too many joins a minute; too many wrong room codes from this address; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `room_unavailable`: the room failed repeatedly and rests (`retryAfter`); `overloaded`: this server is saturated and takes no new joins (`Retry-After`) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rooms/{code}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** When a scheduled room opens (anyone with the link may ask) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Its start */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedule"];
                    };
                };
                /** @description `not_found`: no such room, or it is not scheduled */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Schedule your room to open at a time (1 minute to 30 days ahead) and invite friends */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ScheduleBody"];
                };
            };
            responses: {
                /** @description Scheduled */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedule"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests cannot schedule; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: not your room, or someone invited is not your friend; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such room */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: the time is too soon or too far; `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Open your scheduled room now: no countdown, no more reminders */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the code */
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Unscheduled */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: not your room; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rooms/mine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rooms you own and the ones you joined lately, with live participant counts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your rooms, the most recently used first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MyRooms"];
                    };
                };
                /** @description `unauthorized`; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Scheduled rooms you own or were invited to that have not started */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Soonest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedules"];
                    };
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your room templates */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Templates"];
                    };
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Save a room's settings (yours) as a template */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SaveTemplateBody"];
                };
            };
            responses: {
                /** @description Saved */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Template"];
                    };
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: not your room; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such room */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `conflict`: you have 50 templates */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{template_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a template */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the template_id */
                    template_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such template */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{template_id}/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a room with a template's settings */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the template_id */
                    template_id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["FromTemplateBody"];
                };
            };
            responses: {
                /** @description The new room */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Room"];
                    };
                };
                /** @description `bad_request`: the body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized`: guests have none; `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such template */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/{video_id}/manifest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where to play a video from, once players can start */
        get: {
            parameters: {
                query?: {
                    /** @description the code of the room the video plays in (routes the request to the room's instance) */
                    room?: string;
                };
                header?: never;
                path: {
                    /** @description the video_id */
                    video_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The HLS master playlist's URL, with a grant valid 30 to 40 min */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Manifest"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: neither the uploader nor in a room playing the video */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such video */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_ready` (with `videoStatus` and `progress`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/{video_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How far a video's preparation has come */
        get: {
            parameters: {
                query?: {
                    /** @description the code of the room the video plays in (routes the request to the room's instance) */
                    room?: string;
                };
                header?: never;
                path: {
                    /** @description the video_id */
                    video_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The status (never cached) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VideoStatus"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: neither the uploader nor in a room playing the video */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such video */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/{video_id}/subtitles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A video's subtitle tracks */
        get: {
            parameters: {
                query?: {
                    /** @description the code of the room the video plays in (routes the request to the room's instance) */
                    room?: string;
                };
                header?: never;
                path: {
                    /** @description the video_id */
                    video_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The tracks (never cached) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SubtitleTracks"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: neither the uploader nor in a room playing the video or the room it was uploaded for */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such video */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Add a subtitle track from an SRT or WebVTT file (the uploader, or people in the video's room) */
        post: {
            parameters: {
                query?: {
                    /** @description the file's name (its extension tells SRT from VTT) */
                    filename?: string;
                    /** @description what the track is called in the player */
                    label?: string;
                    /** @description a BCP 47 language tag */
                    language?: string;
                };
                header?: never;
                path: {
                    /** @description the video_id */
                    video_id: string;
                };
                cookie?: never;
            };
            /** @description the SRT or WebVTT file (at most 1 MiB) */
            requestBody: {
                content: {
                    "application/octet-stream": unknown;
                    "application/x-subrip": unknown;
                    "text/vtt": unknown;
                };
            };
            responses: {
                /** @description The new track */
                201: {
                    headers: {
                        /** @description the track's URL */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SubtitleTrack"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: guests, or neither the uploader nor in the video's room; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found`: no such video, or one that failed */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `conflict`: the video has as many tracks as it may */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: over 1 MiB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `invalid_subtitles`: not SRT or WebVTT, or a bad language tag */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** tus creation: declare a video's size and metadata (filename, roomCode) */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description `1.0.0` */
                    "Tus-Resumable": string;
                    /** @description the file's size in bytes */
                    "Upload-Length": number;
                    /** @description comma-separated `key base64(value)` pairs: `filename`, `roomCode` */
                    "Upload-Metadata"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Created: send the bytes to Location */
                201: {
                    headers: {
                        /** @description the upload's URL */
                        Location?: string;
                        /** @description `1.0.0` */
                        "Tus-Resumable"?: string;
                        /** @description HTTP date after which an untouched upload is deleted */
                        "Upload-Expires"?: string;
                        /** @description `0` */
                        "Upload-Offset"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_request`: Upload-Length missing or not a number, Upload-Defer-Length, malformed Upload-Metadata */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: guests cannot upload; `source_forbidden`: the roomCode names a room whose video the caller may not change; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `room_not_found`: the roomCode names no room */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_tus_version`: no `Tus-Resumable: 1.0.0` */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large` (over 8 GiB) or `quota_exceeded` (over the user's storage quota) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: uploads per user per hour; `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        /** tus discovery: version, extensions and the largest upload */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description tus capabilities */
                204: {
                    headers: {
                        /** @description `creation,termination,expiration` */
                        "Tus-Extension"?: string;
                        /** @description bytes (8 GiB) */
                        "Tus-Max-Size"?: string;
                        /** @description `1.0.0` */
                        "Tus-Version"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/uploads/{upload_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** tus termination: drop an unfinished upload */
        delete: {
            parameters: {
                query?: never;
                header: {
                    /** @description `1.0.0` */
                    "Tus-Resumable": string;
                };
                path: {
                    /** @description the upload_id */
                    upload_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        /** @description `1.0.0` */
                        "Tus-Resumable"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: guests cannot upload; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `upload_not_found` (someone else's, expired or never created) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_tus_version`: no `Tus-Resumable: 1.0.0` */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        /** tus offset: how many bytes the server has (resume from there) */
        head: {
            parameters: {
                query?: never;
                header: {
                    /** @description `1.0.0` */
                    "Tus-Resumable": string;
                };
                path: {
                    /** @description the upload_id */
                    upload_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The upload's state */
                200: {
                    headers: {
                        /** @description `1.0.0` */
                        "Tus-Resumable"?: string;
                        /** @description HTTP date */
                        "Upload-Expires"?: string;
                        /** @description the declared size */
                        "Upload-Length"?: string;
                        /** @description as declared */
                        "Upload-Metadata"?: string;
                        /** @description bytes stored */
                        "Upload-Offset"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: guests cannot upload */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `upload_not_found` (someone else's, expired or never created) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_tus_version`: no `Tus-Resumable: 1.0.0` */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** tus append: bytes from Upload-Offset on; after a dropped connection, HEAD and resume */
        patch: {
            parameters: {
                query?: never;
                header: {
                    /** @description `1.0.0` */
                    "Tus-Resumable": string;
                    /** @description where these bytes start */
                    "Upload-Offset": number;
                };
                path: {
                    /** @description the upload_id */
                    upload_id: string;
                };
                cookie?: never;
            };
            /** @description the next bytes of the file */
            requestBody: {
                content: {
                    "application/offset+octet-stream": unknown;
                };
            };
            responses: {
                /** @description Stored */
                204: {
                    headers: {
                        /** @description `1.0.0` */
                        "Tus-Resumable"?: string;
                        /** @description bytes stored now */
                        "Upload-Offset"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_request`: the body goes past Upload-Length, Upload-Offset not a number */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `forbidden`: guests cannot upload; `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `upload_not_found` (someone else's, expired or never created) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `offset_mismatch` (with `uploadOffset`) or `upload_busy` (another PATCH is writing) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_tus_version`: no `Tus-Resumable: 1.0.0` */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_format`: not application/offset+octet-stream, or the first bytes are not a video container */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/voice/ice-servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** STUN and TURN servers for the caller; TURN credentials (time-limited HMAC, TURN REST API: username = expiry:userId, SYNCWATCH_TURN_TTL_S, 10 minutes by default) only for someone in a room's voice call (after `voice:join`); someone seated in a room but not in its call gets `relayAvailable: true` with no credentials and `ttl: 0` */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The servers (never cached) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IceServers"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/voice/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** How joining voice went: ICE failures, relayed connections, time to connect */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["VoiceReportBody"];
                };
            };
            responses: {
                /** @description Recorded */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_request`: the body is not JSON, or there is none */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unauthorized` (no bearer token) or `invalid_token` (a wrong or expired one) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `origin_not_allowed`: a cross-site request from an origin not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `too_large`: a JSON body over the limit (1 MiB unless configured) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `unsupported_media_type`: a body that is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `validation_error`: `errors` names each wrong field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `rate_limited`: requests per IP per minute (with Retry-After) */
                429: {
                    headers: {
                        /** @description seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alive */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Live"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every configured dependency and core service answers (never cached) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready (`degraded` while Redis is down: limits in-process) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description Not ready, with each check */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/transcoder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Transcoder health: ffmpeg, workers, queue (503 when unhealthy) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Healthy */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TranscoderHealth"];
                    };
                };
                /** @description Unhealthy */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TranscoderHealth"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** HLS playlists (cached 5 s), segments and WebVTT subtitle tracks (immutable), all under `g/{grant}/` (the grant of the video's manifest URL); byte ranges honoured */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description one `bytes=start-end` range */
                    Range?: string;
                };
                path: {
                    /** @description the key */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The object */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": unknown;
                    };
                };
                /** @description The requested byte range */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": unknown;
                    };
                };
                /** @description With S3 storage a segment is a redirect to a presigned URL */
                302: {
                    headers: {
                        /** @description the presigned URL */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `forbidden`: HLS or a subtitle track without a grant for this video, or with an expired one */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description `range_not_satisfiable` (with Content-Range: bytes *\/size) */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (`syncwatch_*`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": unknown;
                    };
                };
                /** @description Anything else: `internal_error` (500, never for bad input) or `service_unavailable` (503, e.g. while the server restarts) */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AcceptBody */
        AcceptBody: {
            userId: string;
        };
        /** AccountDeletion */
        AccountDeletion: {
            password: string;
        };
        /**
         * AccountSession
         * @description One sign-in still in force.
         */
        AccountSession: {
            /** @description the session of the token that asked */
            current: boolean;
            /** @description browser and system, from the user agent */
            device: string;
            id: string;
            ip?: string;
            /** @description its last sign-in or token refresh */
            lastSeenAt: number;
            /** @description Unix epoch milliseconds */
            startedAt: number;
            userAgent?: string;
        };
        /** AccountSessions */
        AccountSessions: {
            sessions: components["schemas"]["AccountSession"][];
        };
        /** BlockBody */
        BlockBody: {
            userId: string;
        };
        /** CheckResult */
        CheckResult: {
            error?: string;
            healthy: boolean;
            latencyMs?: number;
        };
        /** CreateRoomBody */
        CreateRoomBody: {
            /** @default true */
            autoHandover?: boolean;
            /** @default true */
            guestsAllowed?: boolean;
            maxParticipants: number;
            /** @default null */
            name?: string | null;
            /** @default null */
            password?: string | null;
            /**
             * @default owner_only
             * @enum {string}
             */
            playbackControl?: "owner_only" | "all" | "selected";
            /**
             * @default public
             * @enum {string}
             */
            privacy?: "public" | "friends_only" | "private" | "anonymous";
        };
        /** FieldError */
        FieldError: {
            field: string;
            message: string;
            type: string;
        };
        /** Friend */
        Friend: {
            activity?: components["schemas"]["FriendActivity"];
            /** @description null for a pending request or a blocked user */
            online: boolean | null;
            /** @description Unix epoch milliseconds */
            since: number;
            /**
             * @description friends only: what the friend shows (invisible is offline)
             * @enum {string}
             */
            status?: "online" | "away" | "busy" | "offline";
            userId: string;
            username: string;
        };
        /** FriendAccepted */
        FriendAccepted: {
            online: boolean;
            /** @constant */
            status: "accepted";
            userId: string;
            username: string | null;
        };
        /**
         * FriendActivity
         * @description The room a friend watches in, when its privacy lets friends see and join it.
         */
        FriendActivity: {
            maxMembers: number;
            members: number;
            roomCode: string;
            roomName: string;
        };
        /** FriendLists */
        FriendLists: {
            /** @description people you blocked */
            blocked?: components["schemas"]["Friend"][];
            friends: components["schemas"]["Friend"][];
            incoming: components["schemas"]["Friend"][];
            outgoing: components["schemas"]["Friend"][];
        };
        /** FriendRequestBody */
        FriendRequestBody: {
            username: string;
        };
        /** FriendRequested */
        FriendRequested: {
            /** @constant */
            status: "pending";
            userId: string;
            username: string;
        };
        /** FromTemplateBody */
        FromTemplateBody: {
            /** @default null */
            name?: string | null;
        };
        /** GuestBody */
        GuestBody: {
            /** @default null */
            nickname?: string | null;
        };
        /**
         * HistoryEntry
         * @description One thing watched: what, in which room, when, and with whom.
         */
        HistoryEntry: {
            companions: string[];
            /** @description Unix epoch milliseconds */
            endedAt: number;
            id: string;
            roomCode: string;
            roomName: string;
            sourceType: ("upload" | "youtube" | "url") | null;
            /** @description Unix epoch milliseconds */
            startedAt: number;
            title: string;
        };
        /**
         * IceServer
         * @description An RTCIceServer: STUN URLs, or TURN URLs with time-limited credentials.
         */
        IceServer: {
            credential?: string;
            /** @constant */
            credentialType?: "password";
            urls: string[];
            username?: string;
        };
        /** IceServers */
        IceServers: {
            /** @description Unix epoch milliseconds */
            expiresAt?: number;
            iceServers: components["schemas"]["IceServer"][];
            relayAvailable: boolean;
            /** @description seconds the credentials stay valid (0: none yet, ask again in the call) */
            ttl: number;
        };
        /** JoinCheck */
        JoinCheck: {
            participantId: string;
            room: components["schemas"]["Room"];
        };
        /** JoinRoomBody */
        JoinRoomBody: {
            /** @default null */
            password?: string | null;
        };
        /** Live */
        Live: {
            /** @constant */
            status: "ok";
        };
        /** LoginBody */
        LoginBody: {
            login: string;
            password: string;
        };
        /** Manifest */
        Manifest: {
            /** @description the HLS master playlist, root-relative */
            manifestUrl: string;
        };
        /** MyRoom */
        MyRoom: {
            autoHandover: boolean;
            code: string;
            /** @description Unix epoch milliseconds */
            createdAt: number;
            /** @description Unix epoch milliseconds */
            expiresAt: number;
            guestsAllowed: boolean;
            hasPassword: boolean;
            id: string;
            /** @description When you last joined it (null for a room you own and never entered) */
            lastJoinedAt: number | null;
            maxParticipants: number;
            name: string;
            ownerId: string;
            participantCount: number;
            /** @enum {string} */
            playbackControl: "owner_only" | "all" | "selected";
            /**
             * @description Who may join: see 'Who may join' in docs/protocol.md
             * @enum {string}
             */
            privacy: "public" | "friends_only" | "private" | "anonymous";
        };
        /**
         * MyRooms
         * @description The rooms on your home page: the ones you own, and the ones you joined lately.
         */
        MyRooms: {
            owned: components["schemas"]["MyRoom"][];
            recent: components["schemas"]["MyRoom"][];
        };
        /**
         * Notification
         * @description One entry of the notification centre (the same object `/ws/me` pushes).
         */
        Notification: {
            /** @description Unix epoch milliseconds */
            createdAt: number;
            fromUserId?: string;
            fromUsername?: string;
            id: string;
            /** @enum {string} */
            kind: "friend_request" | "friend_accepted" | "room_invitation" | "reminder";
            read: boolean;
            roomCode?: string;
            roomName?: string;
            /** @description Unix epoch milliseconds */
            startsAt?: number;
        };
        /** Notifications */
        Notifications: {
            /** @description newest first, at most 100 */
            notifications: components["schemas"]["Notification"][];
            unread: number;
        };
        /** PasswordChange */
        PasswordChange: {
            currentPassword: string;
            newPassword: string;
        };
        /** PasswordReset */
        PasswordReset: {
            newPassword: string;
            token: string;
        };
        /**
         * Problem
         * @description RFC 9457 problem details: every error the API answers with.
         *
         *     `code` is stable and snake_case; the other extension members appear with
         *     the errors that carry them.
         */
        Problem: {
            code: string;
            detail: string;
            /** @description each invalid field (`validation_error`) */
            errors?: components["schemas"]["FieldError"][];
            /** @description 0..100 (`not_ready`) */
            progress?: number;
            /** @description seconds, as in Retry-After (`rate_limited`) */
            retryAfter?: number;
            status: number;
            title: string;
            /** @description the tus version to send (`unsupported_tus_version`) */
            tusVersion?: string;
            type: string;
            /** @description the offset the upload is at (`offset_mismatch`) */
            uploadOffset?: number;
            /** @description how far the video has come (`not_ready`) */
            videoStatus?: string;
        } & {
            [key: string]: unknown;
        };
        /** ReadBody */
        ReadBody: {
            /** @default null */
            ids?: string[] | null;
        };
        /** Readiness */
        Readiness: {
            checks: {
                [key: string]: components["schemas"]["CheckResult"];
            };
            /** @enum {string} */
            status: "ok" | "degraded" | "unavailable";
        };
        /** RegisterBody */
        RegisterBody: {
            /** Format: email */
            email: string;
            password: string;
            username: string;
        };
        /** Room */
        Room: {
            autoHandover: boolean;
            code: string;
            /** @description Unix epoch milliseconds */
            createdAt: number;
            /** @description Unix epoch milliseconds */
            expiresAt: number;
            guestsAllowed: boolean;
            hasPassword: boolean;
            id: string;
            maxParticipants: number;
            name: string;
            ownerId: string;
            /** @enum {string} */
            playbackControl: "owner_only" | "all" | "selected";
            /**
             * @description Who may join: see 'Who may join' in docs/protocol.md
             * @enum {string}
             */
            privacy: "public" | "friends_only" | "private" | "anonymous";
        };
        /** RoomWithCount */
        RoomWithCount: {
            autoHandover: boolean;
            code: string;
            /** @description Unix epoch milliseconds */
            createdAt: number;
            /** @description Unix epoch milliseconds */
            expiresAt: number;
            guestsAllowed: boolean;
            hasPassword: boolean;
            id: string;
            maxParticipants: number;
            name: string;
            ownerId: string;
            participantCount: number;
            /** @enum {string} */
            playbackControl: "owner_only" | "all" | "selected";
            /**
             * @description Who may join: see 'Who may join' in docs/protocol.md
             * @enum {string}
             */
            privacy: "public" | "friends_only" | "private" | "anonymous";
        };
        /** SaveTemplateBody */
        SaveTemplateBody: {
            name: string;
            roomCode: string;
        };
        /**
         * Schedule
         * @description When a scheduled room opens.
         */
        Schedule: {
            ownerId: string;
            roomCode: string;
            roomName: string;
            /** @description Unix epoch milliseconds */
            startsAt: number;
        };
        /** ScheduleBody */
        ScheduleBody: {
            invite?: string[];
            startsAt: number;
        };
        /** Schedules */
        Schedules: {
            /** @description rooms you own or were invited to, soonest first */
            schedules: components["schemas"]["Schedule"][];
        };
        /**
         * Session
         * @description A signed-in session; the refresh token travels only in the `sw_refresh` cookie.
         */
        Session: {
            accessToken: string;
            /** @description seconds until the access token expires */
            expiresIn: number;
            user: components["schemas"]["User"];
        };
        /** SignedOut */
        SignedOut: {
            /** @description how many other sessions were signed out */
            signedOut: number;
        };
        /** SubtitleTrack */
        SubtitleTrack: {
            id: string;
            label: string;
            language: string | null;
            /** @enum {string} */
            origin: "upload" | "embedded";
            /** @description the WebVTT file, root-relative */
            url: string;
        };
        /** SubtitleTracks */
        SubtitleTracks: {
            subtitles: components["schemas"]["SubtitleTrack"][];
        };
        /** Template */
        Template: {
            /** @description Unix epoch milliseconds */
            createdAt: number;
            id: string;
            name: string;
            settings: components["schemas"]["TemplateSettings"];
        };
        /** Templates */
        Templates: {
            templates: components["schemas"]["Template"][];
        };
        /** TemplateSettings */
        TemplateSettings: {
            autoHandover: boolean;
            guestsAllowed: boolean;
            maxParticipants: number;
            /** @enum {string} */
            playbackControl: "owner_only" | "all" | "selected";
            /** @enum {string} */
            privacy: "public" | "friends_only" | "private" | "anonymous";
        };
        /** TranscoderHealth */
        TranscoderHealth: {
            activeJobs: number;
            completedJobs: number;
            cpuUsagePercent: number;
            failedJobs: number;
            ffmpegAvailable: boolean;
            ffmpegVersion: string | null;
            healthy: boolean;
            /** @description Unix epoch milliseconds */
            lastJobCompletedAt?: number;
            /** @description Unix epoch milliseconds */
            lastJobFailedAt?: number;
            memoryUsageMB: number;
            queueDepth: number;
            workers: number;
        };
        /** UnreadNotifications */
        UnreadNotifications: {
            unread: number;
        };
        /**
         * User
         * @description An account, or a guest (who has no email and no creation time).
         */
        User: {
            /** @description Unix epoch milliseconds */
            createdAt?: number;
            email?: string;
            guest: boolean;
            id: string;
            username: string;
        };
        /** UserFound */
        UserFound: {
            /** @enum {string} */
            relation: "none" | "friend" | "incoming" | "outgoing" | "blocked";
            userId: string;
            username: string;
        };
        /** UserSearch */
        UserSearch: {
            users: components["schemas"]["UserFound"][];
        };
        /** VideoStatus */
        VideoStatus: {
            durationMs?: number;
            error?: string;
            id: string;
            progress: number;
            /** @enum {string} */
            status: "pending" | "processing" | "ready" | "failed";
        };
        /** VoiceReportBody */
        VoiceReportBody: {
            /** @default 0 */
            connected?: number;
            iceFailures?: string[];
            /** @default null */
            joinMs?: number | null;
            /** @default null */
            peers?: number | null;
            /** @default 0 */
            relayed?: number;
        };
        /** WatchHistory */
        WatchHistory: {
            /** @description newest first; the last 90 days */
            entries: components["schemas"]["HistoryEntry"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
