// Generated from GET /api/v1/openapi.json by openapi-typescript. Do not edit:
// run `npm run sdk:types` instead.
/* eslint-disable */
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys of the result JWT (ES256), for offline verification */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List administrators (a resource administrator sees itself) */
        get: operations["getAdmins"];
        put?: never;
        /** Create an administrator (superuser only); its first API key is returned once */
        post: operations["postAdmins"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an administrator */
        get: operations["getAdminsById"];
        put?: never;
        post?: never;
        /** Delete an administrator and its keys (superuser only) */
        delete: operations["deleteAdminsById"];
        options?: never;
        head?: never;
        /** Change name, role, active or resources (superuser only; the last superuser stays) */
        patch: operations["patchAdminsById"];
        trace?: never;
    };
    "/api/v1/admins/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an administrator's API keys (hashes are never shown) */
        get: operations["getAdminsByIdKeys"];
        put?: never;
        /** Add an API key; the key is returned once */
        post: operations["postAdminsByIdKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admins/{id}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key (it stops working at once) */
        delete: operations["deleteAdminsByIdKeysByKeyId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admins/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The administrator this API key belongs to */
        get: operations["getAdminsMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the password of a user assigned to the resource */
        post: operations["postAuthByResourceIdPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/prepare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an e-mail/SMS/bot code, get an OCRA challenge, or ask the user's authenticator app (push) */
        post: operations["postAuthByResourceIdPrepare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/push-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The app's answer to a push request: true once approved (single use), `push_pending` while waiting, `push_denied` (counts as a failure) or `expired_challenge` */
        post: operations["postAuthByResourceIdPushStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/sign-transaction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Get an OCRA challenge derived from transaction data (Confirm What You See) */
        post: operations["postAuthByResourceIdSignTransaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check an OTP (with PIN) of a token assigned to the resource */
        post: operations["postAuthByResourceIdToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/user-password-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check password and OTP of a user with a token */
        post: operations["postAuthByResourceIdUserPasswordToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/user-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a user's OTP (with PIN) with the token paired in this resource */
        post: operations["postAuthByResourceIdUserToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/{resourceId}/verify-signed-transaction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the OCRA answer for exactly this transaction data */
        post: operations["postAuthByResourceIdVerifySignedTransaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log (changes and authentication attempts), newest first
         * @description A resource administrator sees the events of its resources, the events it caused, and administrative events about the users and tokens assigned to its resources. `search` matches the type, reason, actor and IP address.
         */
        get: operations["getEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/chain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify the audit hash chain (superusers; reads every sealed event) */
        get: operations["getEventsChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search resources (a resource administrator sees its own) */
        get: operations["getResources"];
        put?: never;
        /** Create a resource (superuser); the verification secret is returned once */
        post: operations["postResources"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a resource */
        get: operations["getResourcesById"];
        put?: never;
        post?: never;
        /** Delete a resource with its assignments and filters (superuser; events remain) */
        delete: operations["deleteResourcesById"];
        options?: never;
        head?: never;
        /** Change a resource (superuser or an administrator of it) */
        patch: operations["patchResourcesById"];
        trace?: never;
    };
    "/api/v1/resources/{id}/filters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The resource's filters, oldest first */
        get: operations["getResourcesByIdFilters"];
        put?: never;
        /** Add a filter (ip, country, time or userAgent) to a resource */
        post: operations["postResourcesByIdFilters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/filters/{filterId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a filter */
        get: operations["getResourcesByIdFiltersByFilterId"];
        put?: never;
        post?: never;
        /** Delete a filter (superuser or the administrator who created it) */
        delete: operations["deleteResourcesByIdFiltersByFilterId"];
        options?: never;
        head?: never;
        /** Change a filter's fields or enabled flag, not its type (superuser or the administrator who created it) */
        patch: operations["patchResourcesByIdFiltersByFilterId"];
        trace?: never;
    };
    "/api/v1/resources/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the verification secret; the old one stops working at once */
        post: operations["postResourcesByIdSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tokens assigned to the resource on their own (token authentication) */
        get: operations["getResourcesByIdTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Assign a token to the resource (idempotent) */
        put: operations["putResourcesByIdTokensByTokenId"];
        post?: never;
        /** Remove a token from the resource */
        delete: operations["deleteResourcesByIdTokensByTokenId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The resource's users, with the token each uses there */
        get: operations["getResourcesByIdUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Assign a user to the resource (idempotent) */
        put: operations["putResourcesByIdUsersByUserId"];
        post?: never;
        /** Remove a user from the resource, with its 'user with token' pairing */
        delete: operations["deleteResourcesByIdUsersByUserId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{id}/users/{userId}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Assign the user *with* one of its tokens (also assigns the user; one token per user per resource) */
        put: operations["putResourcesByIdUsersByUserIdToken"];
        post?: never;
        /** End the 'user with token' pairing; the user stays assigned */
        delete: operations["deleteResourcesByIdUsersByUserIdToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search tokens (start of the serial number or name) */
        get: operations["getTokens"];
        put?: never;
        /** Create a token; software TOTP/HOTP tokens return their otpauth URI and QR code once */
        post: operations["postTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a token */
        get: operations["getTokensById"];
        put?: never;
        post?: never;
        /** Delete a token (cannot be undone; its events remain) */
        delete: operations["deleteTokensById"];
        options?: never;
        head?: never;
        /** Change name, active, PIN, PIN position, or OTP length where the type allows */
        patch: operations["patchTokensById"];
        trace?: never;
    };
    "/api/v1/tokens/{id}/bypass": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Let authentication succeed without OTP for 1, 8, 12 or 24 hours, or permanently */
        post: operations["postTokensByIdBypass"];
        /** End a bypass */
        delete: operations["deleteTokensByIdBypass"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check an OTP without consuming it or counting failures */
        post: operations["postTokensByIdCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a new token and activate it: a code from the authenticator (TOTP/HOTP, consumed) or the code sent by POST /{id}/confirmation (e-mail, SMS, bot); without the PIN */
        post: operations["postTokensByIdConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the code that confirms a new e-mail, SMS or bot token to its user's address (10 min, 5 attempts; again after 30 s) */
        post: operations["postTokensByIdConfirmation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The token's events, newest first */
        get: operations["getTokensByIdEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/reissue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** New secret for a software token; old codes stop working */
        post: operations["postTokensByIdReissue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resources the token is assigned to, directly or as its user's token (a resource administrator sees only its own) */
        get: operations["getTokensByIdResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Synchronise with two consecutive codes (HOTP up to 1000 ahead, TOTP ±30 min) */
        post: operations["postTokensByIdSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unlock and reset failure counters */
        post: operations["postTokensByIdUnlock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Give the token to a user (a token has at most one owner) */
        put: operations["putTokensByIdUser"];
        post?: never;
        /** Take the token from its user (also ends its 'user with token' assignments) */
        delete: operations["deleteTokensByIdUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import tokens from CSV `serialNumber,secret` (all or nothing) */
        post: operations["postTokensImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search users (login, e-mail, first and last name) */
        get: operations["getUsers"];
        put?: never;
        /** Create a user (the password is stored as argon2id and never returned) */
        post: operations["postUsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a user */
        get: operations["getUsersById"];
        put?: never;
        post?: never;
        /** Delete a user: its tokens stay (without owner), its assignments go, its events remain */
        delete: operations["deleteUsersById"];
        options?: never;
        head?: never;
        /** Change a user; `password: null` removes the password */
        patch: operations["patchUsersById"];
        trace?: never;
    };
    "/api/v1/users/{id}/locks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's failed sign-in counters and locks per resource */
        get: operations["getUsersByIdLocks"];
        put?: never;
        post?: never;
        /** Unlock the user's login: reset its failure counters in the caller's resources */
        delete: operations["deleteUsersByIdLocks"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resources the user is assigned to (in the caller's scope) */
        get: operations["getUsersByIdResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's tokens (those the caller may see) */
        get: operations["getUsersByIdTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a widget result JWT once (single use), for this resource */
        post: operations["postVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Store a new encrypted backup; returns its id and write key */
        post: operations["postAppApiBackups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/backups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an encrypted backup by its id */
        get: operations["getAppApiBackupsById"];
        /** Replace an encrypted backup (needs its write key in X-Veriframe-Backup-Key) */
        put: operations["putAppApiBackupsById"];
        post?: never;
        /** Delete an encrypted backup (needs its write key in X-Veriframe-Backup-Key) */
        delete: operations["deleteAppApiBackupsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The device's pending sign-in requests */
        get: operations["getAppApiPushChallenges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/challenges/{id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or deny a sign-in request, signed by the device key */
        post: operations["postAppApiPushChallengesByIdAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: the device's pending sign-in requests, sent again whenever they change
         * @description EventSource cannot send headers, so the device proves itself in the query. Each `challenges` event carries `{"challenges": [PushChallenge]}`; the stream ends after a few minutes and the app reconnects with a fresh signature.
         */
        get: operations["getAppApiPushEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register the device key of a push token with its one-time enrolment secret */
        post: operations["postAppApiPushRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/subscription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register the device's Web Push subscription, signed by the device key
         * @description Replaces the token's previous subscription. When a challenge opens, the server sends an encrypted message (RFC 8291 aes128gcm, VAPID RFC 8292) naming the challenge and the resource to this endpoint; a push service answering 404 or 410 makes it forget the subscription.
         */
        put: operations["putAppApiPushSubscription"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/push/web-push": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The server's VAPID public key, when Web Push is configured
         * @description The app subscribes its service worker with this key and registers the subscription (`PUT /subscription`); with `publicKey` null it relies on the server-sent events alone.
         */
        get: operations["getAppApiPushWebPush"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/api/time": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server's clock, for the app's time correction */
        get: operations["getAppApiTime"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/api/enrol/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enrolment link: set the password and confirm the authenticator with one code */
        post: operations["postConsoleApiEnrolFinish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/api/enrol/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enrolment link: a new authenticator secret (QR code) for the administrator */
        post: operations["postConsoleApiEnrolStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current console session (after a reload): its CSRF value and the administrator */
        get: operations["getConsoleApiSession"];
        put?: never;
        /** Open a console session with the widget result (sets the vf_console cookie) */
        post: operations["postConsoleApiSession"];
        /** Sign out: revoke the session and clear the cookie (needs X-Veriframe-CSRF) */
        delete: operations["deleteConsoleApiSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/api/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A nonce for the console sign-in page and the console resource the widget signs in to */
        get: operations["getConsoleApiSignIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/enroll/push": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask whether the authenticator app added the push token being enrolled
         * @description Enrolment during login of a push token: `push` until the app registered it (costs no attempt), then the result token (`amr` pwd, otp, enroll). Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiEnrollPush"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/identify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the login (and password)
         * @description Answers the OTP step, or the result token. Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiIdentify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/otp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the OTP (with PIN)
         * @description Answers the result token. Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiOtp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/push": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask whether the user's authenticator app answered
         * @description Push tokens: `push` while the app has not answered (costs no attempt); the result token once approved; 403 `push_denied` when denied, 410 `push_challenge_expired` when nobody answered in time. Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiPush"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the e-mail/SMS/bot code again
         * @description For tokens whose code is sent. Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/widget/api/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a sign-in transaction
         * @description Checks the resource and the embedding origin. Called by the widget's iframe, same-origin and without cookies: the transaction id in the body is the only state.
         */
        post: operations["postWidgetApiStart"];
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
        Administrator: {
            active: boolean;
            /**
             * Format: uuid
             * @description The user this administrator signs in to the console as; other administrators cannot change or delete it, its password or its token (403 sign_in_protected).
             */
            consoleUserId: string | null;
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            resourceIds: string[];
            /** @enum {string} */
            role: "superuser" | "admin";
        };
        AdministratorList: {
            items: components["schemas"]["Administrator"][];
            total: number;
        };
        ApiKey: {
            /** Format: uuid */
            adminId: string;
            createdAt: string;
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            lastUsedAt: string | null;
            name: string;
            /** @description First characters of the key, to tell keys apart. */
            prefix: string;
            revokedAt: string | null;
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
            total: number;
        };
        AppBackup: {
            data: string;
            updatedAt: string;
        };
        AppBackupBody: {
            /** @description The encrypted backup as the app made it (base64url; the server cannot read it). */
            data: string;
        };
        AppBackupCreateBody: components["schemas"]["AppBackupBody"] & {
            /** @description Delete it after this many seconds (a transfer to a new device); without it the backup stays until deleted. */
            expiresInSeconds?: number;
        };
        AppBackupCreated: {
            expiresAt: string | null;
            id: string;
            updatedAt: string;
            /** @description Needed to replace or delete the backup (header X-Veriframe-Backup-Key); shown once. */
            writeKey: string;
        };
        AppBackupUpdated: {
            updatedAt: string;
        };
        AppServerTime: {
            /** @description The server's clock, milliseconds since the Unix epoch. */
            epochMs: number;
            iso: string;
        };
        AuthPassword: {
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            password: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthPrepare: {
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthPushStatus: {
            /**
             * Format: uuid
             * @description `push.challenge` of the prepare (or sign-transaction) answer.
             */
            challenge: string;
            /** @description The transaction data, for a challenge opened by sign-transaction. */
            data?: string;
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthResult: {
            /** @description OCRA question to show the user (prepare, sign-transaction). */
            challenge?: string;
            /** @description Push tokens (prepare, sign-transaction): the request sent to the user's authenticator app; ask `push-status` with `challenge` until the result is no longer `push_pending`. */
            push?: {
                /** Format: uuid */
                challenge: string;
                expiresAt: string;
            };
            /** @enum {string} */
            reason?: "invalid_credentials" | "locked" | "filtered" | "inactive_user" | "inactive_token" | "inactive_resource" | "not_assigned" | "throttled" | "expired_challenge" | "not_supported" | "no_destination" | "delivery_failed" | "otp_required" | "push_pending" | "push_denied";
            result: boolean;
            /** @description Seconds to wait (throttled; locked when the lock or the login delay lifts by itself). */
            retryAfter?: number;
        };
        AuthSignTransaction: {
            data: string;
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthToken: {
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            otp: string;
            /** Format: uuid */
            tokenId: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthUserPasswordToken: {
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            /** @description The OTP (with PIN); may be left out when the token is deactivated or in bypass. */
            otp?: string;
            password: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthUserToken: {
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            otp: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        AuthVerifySignedTransaction: {
            data: string;
            /** @description The end user's IP address, for filters and throttling. */
            ip?: string;
            login: string;
            otp: string;
            /** @description The end user's User-Agent header, for user-agent filters. */
            userAgent?: string;
        };
        Bypass: {
            hours: 1 | 8 | 12 | 24;
        } | {
            /** @enum {boolean} */
            permanent: true;
        };
        ChainStatus: {
            brokenAt?: string;
            checked: number;
            message?: string;
            ok: boolean;
            /** @description Events newer than the sealer's last pass: counted, not verified yet. */
            unsealed: number;
        };
        ConfirmToken: {
            /** @description The confirming code; none for a push token (confirmed by its app registering). */
            otp?: string;
        };
        ConsoleEnrolFinish: {
            code: string;
            /** @description A current code of the authenticator just enrolled. */
            otp: string;
            /** @description The console password: 12 to 256 characters. */
            password: string;
        };
        ConsoleEnrolment: {
            login: string;
            /** @description Shown once: scan it with an authenticator app. */
            otpauthUri: string;
            qrSvg: string;
            /** @description The same secret in base32, for typing in by hand. */
            secret: string;
        };
        ConsoleEnrolStart: {
            code: string;
        };
        ConsoleSession: {
            admin: {
                /** Format: uuid */
                id: string;
                login: string | null;
                name: string;
                resourceIds: string[];
                /** @enum {string} */
                role: "superuser" | "admin";
            };
            /** @description Send it as `X-Veriframe-CSRF` with every /api/v1 call made with the session cookie. */
            csrf: string;
            /** @description The absolute end of the session (12 h after sign-in); 15 idle minutes end it sooner. */
            expiresAt: string;
        };
        ConsoleSessionRequest: {
            /** @description The nonce from GET /console/api/sign-in. */
            nonce: string;
            /** @description The result JWT the widget handed to the sign-in page. */
            token: string;
        };
        ConsoleSignIn: {
            /** @description Minted for this view of the sign-in page; single use, 10 minutes. */
            nonce: string;
            /**
             * Format: uuid
             * @description The built-in "Veriframe console" resource the widget signs in to.
             */
            resourceId: string;
        };
        CountryFilter: {
            countries: string[];
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            mode: "allow" | "deny";
            /** Format: uuid */
            resourceId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "country";
            updatedAt: string;
        };
        CountryFilterInput: {
            /**
             * @description ISO 3166-1 alpha-2 codes; stored upper-case.
             * @example [
             *       "DE",
             *       "FR"
             *     ]
             */
            countries: string[];
            /** @description Default true. */
            enabled?: boolean;
            /**
             * @description allow: only matching requests pass; deny: matching requests are refused.
             * @enum {string}
             */
            mode: "allow" | "deny";
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "country";
        };
        CreateAdministrator: {
            name: string;
            /** @default [] */
            resourceIds: string[];
            /** @enum {string} */
            role: "superuser" | "admin";
        };
        CreatedAdministrator: components["schemas"]["Administrator"] & {
            /** @description The first API key of the administrator. Shown once. */
            apiKey: string;
        };
        CreatedApiKey: components["schemas"]["ApiKey"] & {
            /** @description The key itself. Shown once; only its hash is stored. */
            apiKey: string;
        };
        CreateFilter: components["schemas"]["IpFilterInput"] | components["schemas"]["CountryFilterInput"] | components["schemas"]["TimeFilterInput"] | components["schemas"]["UserAgentFilterInput"];
        CreateResource: {
            active?: boolean;
            /** @description Origins that may embed the widget: exact `scheme://host[:port]`, http or https, no wildcards. Stored normalised. */
            allowedOrigins?: string[];
            /**
             * @description What the widget asks for (default password+otp).
             * @enum {string}
             */
            authMethod?: "password" | "otp" | "password+otp";
            /** @description Lifetime of codes sent by e-mail, SMS or bot (default 300). */
            codeTtlSeconds?: number;
            /** @description Offer a user of the resource without a token there enrolment inside the widget (default false). */
            enrollOnLogin?: boolean;
            /** @description Wrong OTPs before the token locks (default 5). */
            failedAttemptsLimit?: number;
            /** @description HOTP counters searched ahead (default 10). */
            hotpLookAhead?: number;
            /** @description Unique, case-insensitively. */
            name: string;
            /** @description TOTP steps accepted either side of now (default 1). */
            otpWindow?: number;
            /** @description Locked tokens unlock by themselves after 30 s, doubling up to 1 h (default false). */
            progressiveUnlock?: boolean;
            selfService?: components["schemas"]["SelfServiceSettings"];
            /** @description Failures per client IP within the window before 429 (default 30). */
            throttleMaxFailures?: number;
            /** @description Throttle window in seconds (default 300). */
            throttleWindowSeconds?: number;
        };
        CreateToken: {
            active?: boolean;
            /** @enum {string} */
            algorithm?: "SHA1" | "SHA256" | "SHA512";
            digits?: 6 | 8;
            /** @enum {string} */
            kind: "hardware" | "software" | "universal";
            name?: string;
            ocraSuite?: string;
            period?: 30 | 60;
            pin?: string;
            /** @enum {string} */
            pinPosition?: "before" | "after";
            /** @description Base32; required for hardware/universal OATH tokens, generated for software tokens. */
            secret?: string;
            serialNumber?: string;
            /** @enum {string} */
            type: "totp" | "hotp" | "ocra" | "email" | "sms" | "bot" | "push";
        };
        CreateUser: {
            active?: boolean;
            /** Format: email */
            email?: string | null;
            firstName?: string | null;
            lastName?: string | null;
            /** @description Unique case-insensitively. */
            login: string;
            /** @description 8 to 256 characters; stored as argon2id, never returned. */
            password?: string;
            /** @example +4915112345678 */
            phone?: string | null;
        };
        CurrentAdmin: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            keyId: string;
            name: string;
            resourceIds: string[];
            /** @enum {string} */
            role: "superuser" | "admin";
        };
        EnrolledToken: components["schemas"]["Token"] & {
            /** @description Only in the response that created or reissued a software TOTP/HOTP token. */
            otpauthUri?: string;
            /** @description Only when a push token was created or reissued: the `vfpush://enroll` link for the authenticator app (one-time secret, expires in 10 minutes). */
            pushUri?: string;
            /** @description QR code of otpauthUri (or pushUri) as SVG; shown once. */
            qrSvg?: string;
        };
        Error: {
            error: {
                /** @enum {string} */
                code: "malformed_json" | "invalid_request" | "unsupported_media_type" | "unauthorized" | "invalid_api_key" | "invalid_resource_credentials" | "forbidden" | "invalid_session" | "console_sign_in_failed" | "not_an_administrator" | "enrolment_invalid" | "wrong_code" | "builtin_resource" | "sign_in_protected" | "wrong_credentials" | "origin_not_allowed" | "cross_site_request" | "not_allowed_here" | "session_required" | "backup_key_wrong" | "csrf" | "action_not_allowed" | "code_expired" | "push_enrolment_invalid" | "push_enrolment_used" | "push_enrolment_expired" | "push_signature_invalid" | "push_device_invalid" | "push_challenge_not_found" | "push_challenge_answered" | "push_challenge_expired" | "push_enrolment_pending" | "push_denied" | "push_service_not_allowed" | "web_push_not_configured" | "not_found" | "admin_not_found" | "api_key_not_found" | "method_not_allowed" | "token_not_found" | "user_not_found" | "resource_not_found" | "filter_not_found" | "resource_unavailable" | "backup_not_found" | "conflict" | "serial_number_taken" | "token_quota_exceeded" | "token_has_owner" | "self_service_address_taken" | "resource_name_taken" | "user_token_exists" | "filter_limit_reached" | "login_taken" | "payload_too_large" | "unprocessable" | "last_superuser_key" | "invalid_token_settings" | "invalid_secret" | "not_supported_for_token" | "sync_failed" | "import_invalid" | "token_not_owned_by_user" | "filter_field_not_applicable" | "account_locked" | "transaction_expired" | "throttled" | "internal_error" | "database_unavailable" | "delivery_failed";
                details?: unknown;
                field?: string;
                message: string;
            };
        };
        Event: {
            actor: string | null;
            /** Format: uuid */
            actorAdminId: string | null;
            createdAt: string;
            details: {
                [key: string]: unknown;
            };
            id: string;
            ip: string | null;
            reason: string | null;
            /** Format: uuid */
            resourceId: string | null;
            /** @enum {string|null} */
            result: "success" | "failure" | null;
            sealed: boolean;
            /** Format: uuid */
            tokenId: string | null;
            type: string;
            /** Format: uuid */
            userId: string | null;
        };
        EventList: {
            items: components["schemas"]["Event"][];
            /** @description Pass as `cursor` for the following page; null when this page is the last. */
            next: string | null;
            total: number;
        };
        Filter: components["schemas"]["IpFilter"] | components["schemas"]["CountryFilter"] | components["schemas"]["TimeFilter"] | components["schemas"]["UserAgentFilter"];
        FilterList: {
            items: components["schemas"]["Filter"][];
            total: number;
        };
        IpFilter: {
            cidrs: string[];
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            mode: "allow" | "deny";
            /** Format: uuid */
            resourceId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ip";
            updatedAt: string;
        };
        IpFilterInput: {
            /**
             * @description IPv4/IPv6 addresses or CIDRs; stored as network/prefix.
             * @example [
             *       "203.0.113.0/24",
             *       "2001:db8::/32"
             *     ]
             */
            cidrs: string[];
            /** @description Default true. */
            enabled?: boolean;
            /**
             * @description allow: only matching requests pass; deny: matching requests are refused.
             * @enum {string}
             */
            mode: "allow" | "deny";
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ip";
        };
        Jwk: {
            /** @enum {string} */
            alg: "ES256";
            /** @enum {string} */
            crv: "P-256";
            kid: string;
            /** @enum {string} */
            kty: "EC";
            /** @enum {string} */
            use: "sig";
            x: string;
            y: string;
        };
        Jwks: {
            keys: components["schemas"]["Jwk"][];
        };
        LoginLock: {
            failures: number;
            lockedUntil: string | null;
            /** Format: uuid */
            resourceId: string;
            resourceName: string;
        };
        PatchAdministrator: {
            active?: boolean;
            name?: string;
            resourceIds?: string[];
            /** @enum {string} */
            role?: "superuser" | "admin";
        };
        /** @description Only the fields of the filter's own type; lists are replaced as a whole. */
        PatchFilter: {
            /**
             * @description IPv4/IPv6 addresses or CIDRs; stored as network/prefix.
             * @example [
             *       "203.0.113.0/24",
             *       "2001:db8::/32"
             *     ]
             */
            cidrs?: string[];
            /**
             * @description ISO 3166-1 alpha-2 codes; stored upper-case.
             * @example [
             *       "DE",
             *       "FR"
             *     ]
             */
            countries?: string[];
            enabled?: boolean;
            /**
             * @description Allowed windows in local time; `to` earlier than `from` runs past midnight into the next day.
             * @example [
             *       {
             *         "from": "08:00",
             *         "to": "18:00"
             *       }
             *     ]
             */
            intervals?: {
                from: string;
                to: string;
            }[];
            /**
             * @description allow: only matching requests pass; deny: matching requests are refused.
             * @enum {string}
             */
            mode?: "allow" | "deny";
            /**
             * @description Matched as case-insensitive substrings of the User-Agent header (no regular expressions, so no ReDoS).
             * @example [
             *       "curl/",
             *       "python-requests"
             *     ]
             */
            patterns?: string[];
            /**
             * @description IANA time zone the windows are read in.
             * @example Europe/Berlin
             */
            timezone?: string;
            /**
             * @description May be sent but cannot change.
             * @enum {string}
             */
            type?: "ip" | "country" | "time" | "userAgent";
            /**
             * @description ISO weekdays the windows start on: 1 = Monday … 7 = Sunday.
             * @example [
             *       1,
             *       2,
             *       3,
             *       4,
             *       5
             *     ]
             */
            weekdays?: number[];
        };
        PatchResource: {
            active?: boolean;
            /** @description Origins that may embed the widget: exact `scheme://host[:port]`, http or https, no wildcards. Stored normalised. */
            allowedOrigins?: string[];
            /**
             * @description What the widget asks for (default password+otp).
             * @enum {string}
             */
            authMethod?: "password" | "otp" | "password+otp";
            /** @description Lifetime of codes sent by e-mail, SMS or bot (default 300). */
            codeTtlSeconds?: number;
            /** @description Offer a user of the resource without a token there enrolment inside the widget (default false). */
            enrollOnLogin?: boolean;
            /** @description Wrong OTPs before the token locks (default 5). */
            failedAttemptsLimit?: number;
            /** @description HOTP counters searched ahead (default 10). */
            hotpLookAhead?: number;
            name?: string;
            /** @description TOTP steps accepted either side of now (default 1). */
            otpWindow?: number;
            /** @description Locked tokens unlock by themselves after 30 s, doubling up to 1 h (default false). */
            progressiveUnlock?: boolean;
            selfService?: components["schemas"]["SelfServiceSettings"];
            /** @description Failures per client IP within the window before 429 (default 30). */
            throttleMaxFailures?: number;
            /** @description Throttle window in seconds (default 300). */
            throttleWindowSeconds?: number;
        };
        PatchToken: {
            active?: boolean;
            digits?: 6 | 8;
            name?: string;
            /** @description A new PIN, or null to remove it. */
            pin?: string | null;
            /** @enum {string} */
            pinPosition?: "before" | "after";
        };
        PatchUser: {
            active?: boolean;
            /** Format: email */
            email?: string | null;
            firstName?: string | null;
            lastName?: string | null;
            /** @description Unique case-insensitively. */
            login?: string;
            /** @description A new password, or null to remove it. */
            password?: string | null;
            /** @example +4915112345678 */
            phone?: string | null;
        };
        PushAnswer: {
            /** @enum {string} */
            decision: "approve" | "deny";
            /** @description The serial number from the enrolment link. */
            serial: string;
            /** @description Signature of `vfpush/answer/v1\n{challengeId}\n{decision}`. */
            signature: string;
        };
        PushAnswered: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "approved" | "denied";
        };
        PushChallenge: {
            /** @description ISO country of the IP from GeoIP, when known. */
            country: string | null;
            createdAt: string;
            /** @description Transaction data to confirm (purpose transaction). */
            data: string | null;
            expiresAt: string;
            /** Format: uuid */
            id: string;
            ip: string | null;
            login: string;
            /** @enum {string} */
            purpose: "login" | "transaction";
            /** @description The site the sign-in is for. */
            resource: string;
            userAgent: string | null;
        };
        PushChallengeList: {
            challenges: components["schemas"]["PushChallenge"][];
        };
        PushRegister: {
            /** @description The device public key: SPKI DER, base64url (WebCrypto `exportKey("spki")`). */
            publicKey: string;
            /** @description The one-time enrolment secret from the link. */
            secret: string;
            /** @description The serial number from the enrolment link. */
            serial: string;
            /** @description Signature of `vfpush/enroll/v1\n{serial}\n{secret}` by the new key (proof of possession). */
            signature: string;
        };
        PushRegistered: {
            registeredAt: string;
            serial: string;
        };
        PushSubscribed: {
            serial: string;
            /** @enum {boolean} */
            subscribed: true;
        };
        PushSubscription: {
            /** @description The subscription's `keys.auth`: its 16-byte authentication secret. */
            auth: string;
            /** @description The push service's endpoint from `PushSubscription.toJSON()`. */
            endpoint: string;
            /** @description The subscription's `keys.p256dh`: the browser's P-256 public key, uncompressed. */
            p256dh: string;
            /** @description The serial number from the enrolment link. */
            serial: string;
            /** @description Signature of `vfpush/subscribe/v1\n{serial}\n{timestamp}\n{endpoint}\n{p256dh}\n{auth}`. */
            signature: string;
            /** @description The device clock in ms; within 5 minutes of the server clock. */
            timestamp: string;
        };
        PushWebPush: {
            /** @description The server's VAPID public key (uncompressed P-256, base64url) for `pushManager.subscribe`; null when Web Push is not configured. */
            publicKey: string | null;
        };
        Resource: {
            active: boolean;
            allowedOrigins: string[];
            /** @enum {string} */
            authMethod: "password" | "otp" | "password+otp";
            codeTtlSeconds: number;
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            enrollOnLogin: boolean;
            failedAttemptsLimit: number;
            hotpLookAhead: number;
            /** Format: uuid */
            id: string;
            name: string;
            otpWindow: number;
            progressiveUnlock: boolean;
            /** @description When the verification secret was last rotated; null if never. */
            secretRotatedAt: string | null;
            selfService: components["schemas"]["SelfService"];
            /** @description The portal address `PUBLIC_URL/self-service/{address}`; null while no address is set. */
            selfServiceUrl: string | null;
            throttleMaxFailures: number;
            throttleWindowSeconds: number;
            updatedAt: string;
        };
        ResourceList: {
            items: components["schemas"]["Resource"][];
            total: number;
        };
        ResourceToken: {
            active: boolean;
            assignedAt: string;
            /** Format: uuid */
            assignedBy: string | null;
            /** @enum {string} */
            kind: "hardware" | "software" | "universal";
            locked: boolean;
            name: string;
            serialNumber: string | null;
            /** Format: uuid */
            tokenId: string;
            /** @enum {string} */
            type: "totp" | "hotp" | "ocra" | "email" | "sms" | "bot" | "push";
            /** Format: uuid */
            userId: string | null;
        };
        ResourceTokenList: {
            items: components["schemas"]["ResourceToken"][];
            total: number;
        };
        ResourceUser: {
            active: boolean;
            assignedAt: string;
            /** Format: uuid */
            assignedBy: string | null;
            email: string | null;
            firstName: string | null;
            lastName: string | null;
            login: string;
            /**
             * Format: uuid
             * @description The token this user authenticates with in this resource ("user with token"); null = password only.
             */
            tokenId: string | null;
            /** Format: uuid */
            userId: string;
        };
        ResourceUserList: {
            items: components["schemas"]["ResourceUser"][];
            total: number;
        };
        ResourceWithSecret: components["schemas"]["Resource"] & {
            /** @description The verification secret (`vfs_…`) for the site backend. Shown once; only its SHA-256 is stored. */
            secret: string;
        };
        SelfService: {
            address: string | null;
            allowedActions: {
                token: {
                    assignExisting: boolean;
                    enroll: boolean;
                    reissue: boolean;
                    removePin: boolean;
                    setPin: boolean;
                    synchronize: boolean;
                    unassign: boolean;
                };
                user: {
                    changeEmail: boolean;
                    changeLogin: boolean;
                    changeNames: boolean;
                    changePassword: boolean;
                    changePhone: boolean;
                    createPassword: boolean;
                };
            };
            enabled: boolean;
            enrollmentTypes: ("totp" | "hotp" | "email" | "sms" | "bot" | "push" | "hardware")[];
        };
        /** @description Self-service portal (DESIGN §12); merged field by field into what is stored. Everything is off by default. */
        SelfServiceSettings: {
            /**
             * @description Unique portal address: the portal is served at `/self-service/{address}`.
             * @example shop
             */
            address?: string | null;
            /** @description What users may do in the portal; each action is enforced by the server. */
            allowedActions?: {
                token?: {
                    assignExisting?: boolean;
                    enroll?: boolean;
                    reissue?: boolean;
                    removePin?: boolean;
                    setPin?: boolean;
                    synchronize?: boolean;
                    unassign?: boolean;
                };
                user?: {
                    changeEmail?: boolean;
                    changeLogin?: boolean;
                    changeNames?: boolean;
                    changePassword?: boolean;
                    changePhone?: boolean;
                    createPassword?: boolean;
                };
            };
            enabled?: boolean;
            /** @description Token types users may enrol (portal and enrolment during login). */
            enrollmentTypes?: ("totp" | "hotp" | "email" | "sms" | "bot" | "push" | "hardware")[];
        };
        TimeFilter: {
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            intervals: {
                from: string;
                to: string;
            }[];
            /** Format: uuid */
            resourceId: string;
            timezone: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "time";
            updatedAt: string;
            weekdays: number[];
        };
        TimeFilterInput: {
            /** @description Default true. */
            enabled?: boolean;
            /**
             * @description Allowed windows in local time; `to` earlier than `from` runs past midnight into the next day.
             * @example [
             *       {
             *         "from": "08:00",
             *         "to": "18:00"
             *       }
             *     ]
             */
            intervals: {
                from: string;
                to: string;
            }[];
            /**
             * @description IANA time zone the windows are read in.
             * @example Europe/Berlin
             */
            timezone: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "time";
            /**
             * @description ISO weekdays the windows start on: 1 = Monday … 7 = Sunday.
             * @example [
             *       1,
             *       2,
             *       3,
             *       4,
             *       5
             *     ]
             */
            weekdays: number[];
        };
        Token: {
            active: boolean;
            /** @enum {string} */
            algorithm: "SHA1" | "SHA256" | "SHA512";
            bypass: {
                permanent: boolean;
                until: string | null;
            };
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            digits: number;
            drift: number;
            failedAttempts: number;
            hasPin: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "hardware" | "software" | "universal";
            lastUsedAt: string | null;
            locked: boolean;
            lockedAt: string | null;
            name: string;
            ocraSuite: string | null;
            period: number;
            /** @enum {string} */
            pinPosition: "before" | "after";
            serialNumber: string | null;
            /** @enum {string} */
            type: "totp" | "hotp" | "ocra" | "email" | "sms" | "bot" | "push";
            updatedAt: string;
            /** Format: uuid */
            userId: string | null;
        };
        TokenConfirmation: {
            expiresAt: string;
            /** @description The address the code went to, masked (b…@example.com, …567). */
            sentTo: string;
        };
        TokenList: {
            items: components["schemas"]["Token"][];
            /** @description Pass as `cursor` for the following page; null when this page is the last. */
            next: string | null;
            total: number;
        };
        User: {
            active: boolean;
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            email: string | null;
            firstName: string | null;
            hasPassword: boolean;
            /** Format: uuid */
            id: string;
            lastName: string | null;
            login: string;
            phone: string | null;
            updatedAt: string;
        };
        UserAgentFilter: {
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            mode: "allow" | "deny";
            patterns: string[];
            /** Format: uuid */
            resourceId: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "userAgent";
            updatedAt: string;
        };
        UserAgentFilterInput: {
            /** @description Default true. */
            enabled?: boolean;
            /**
             * @description allow: only matching requests pass; deny: matching requests are refused.
             * @enum {string}
             */
            mode: "allow" | "deny";
            /**
             * @description Matched as case-insensitive substrings of the User-Agent header (no regular expressions, so no ReDoS).
             * @example [
             *       "curl/",
             *       "python-requests"
             *     ]
             */
            patterns: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "userAgent";
        };
        UserList: {
            items: components["schemas"]["User"][];
            /** @description Pass as `cursor` for the following page; null when this page is the last. */
            next: string | null;
            total: number;
        };
        UserTokenAssignment: {
            /** Format: uuid */
            tokenId: string;
        };
        VerifyRequest: {
            /** @description The nonce this site minted for the login (`data-nonce`). */
            nonce: string;
            /** @description The result JWT the widget put into the form (`veriframe-token`). */
            token: string;
        };
        VerifyResult: {
            /** @description How the user authenticated; `enroll` with `otp`: the code came from a token the user enrolled during this sign-in. */
            amr?: ("pwd" | "otp" | "bypass" | "enroll")[];
            login?: string;
            /** @description The origin of the page the widget was embedded in. */
            origin?: string;
            /**
             * @description Why the token was refused (only when `valid` is false).
             * @enum {string}
             */
            reason?: "malformed" | "unknown_key" | "bad_signature" | "alg_not_allowed" | "wrong_issuer" | "wrong_audience" | "expired" | "not_yet_valid" | "nonce_mismatch" | "replayed";
            /** @description The user id. */
            sub?: string;
            valid: boolean;
        };
        WidgetOtpStep: {
            /** @description OCRA question to show. */
            challenge?: string;
            digits: number;
            /** @description The token has a PIN, typed together with the code. */
            pin?: boolean;
            /** @description Seconds until a code may be sent again. */
            resendAfter?: number;
            /** @enum {string} */
            type: "totp" | "hotp" | "email" | "sms" | "bot" | "ocra";
        };
        WidgetResend: {
            resendAfter: number;
        };
        WidgetStart: {
            /** Format: date-time */
            expiresAt: string;
            password: boolean;
            transaction: string;
        };
        WidgetStep: {
            otp: components["schemas"]["WidgetOtpStep"];
            /** @enum {string} */
            step: "otp";
        } | {
            push: {
                /** Format: date-time */
                expiresAt: string;
            };
            /** @enum {string} */
            step: "push";
        } | {
            /** @enum {string} */
            step: "done";
            /** @description The result JWT. */
            token: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JSON Web Key Set: the signing key and retired keys still in their overlap. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
        };
    };
    getAdmins: {
        parameters: {
            query?: {
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Administrators, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdministratorList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdmins: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAdministrator"];
            };
        };
        responses: {
            /** @description The administrator and `apiKey`. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedAdministrator"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The administrator. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Administrator"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchAdminsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchAdministrator"];
            };
        };
        responses: {
            /** @description The administrator. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Administrator"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminsByIdKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keys, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminsByIdKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description The new key, with `apiKey` shown this once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminsByIdKeysByKeyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or already revoked). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminsMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The calling administrator. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentAdmin"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAuthByResourceIdPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthPassword"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdPrepare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthPrepare"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdPushStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthPushStatus"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdSignTransaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthSignTransaction"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthToken"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdUserPasswordToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthUserPasswordToken"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdUserToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthUserToken"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    postAuthByResourceIdVerifySignedTransaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuthVerifySignedTransaction"];
            };
        };
        responses: {
            /** @description `result` true on success; otherwise `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures from this IP; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResult"];
                };
            };
        };
    };
    getEvents: {
        parameters: {
            query?: {
                /** @description Continue after the previous page: its `next`. Faster than `start` deep in a list (a page costs the same wherever it is). Not combinable with `start`. */
                cursor?: string;
                /** @description Events at or after this time, ISO 8601 with a time zone (e.g. 2026-01-31T23:59:59Z) */
                from?: string;
                limit?: number;
                resourceId?: string;
                search?: string;
                start?: number | null;
                /** @description Events at or before this time, ISO 8601 with a time zone (e.g. 2026-01-31T23:59:59Z) */
                to?: string;
                tokenId?: string;
                /** @description Exact event type, e.g. token.created */
                type?: string;
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventsChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether the sealed chain is intact, or the first broken event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainStatus"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResources: {
        parameters: {
            query?: {
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of resources, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postResources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateResource"];
            };
        };
        responses: {
            /** @description The resource with its `secret`, shown this once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceWithSecret"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResourcesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resource. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Resource"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteResourcesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchResourcesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchResource"];
            };
        };
        responses: {
            /** @description The changed resource. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Resource"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResourcesByIdFilters: {
        parameters: {
            query?: {
                limit?: number;
                start?: number | null;
                type?: "ip" | "country" | "time" | "userAgent";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of filters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilterList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postResourcesByIdFilters: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFilter"];
            };
        };
        responses: {
            /** @description The filter, normalised. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Filter"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResourcesByIdFiltersByFilterId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                filterId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The filter. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Filter"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteResourcesByIdFiltersByFilterId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                filterId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchResourcesByIdFiltersByFilterId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                filterId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchFilter"];
            };
        };
        responses: {
            /** @description The changed filter. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Filter"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postResourcesByIdSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resource with its new `secret`, shown this once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceWithSecret"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResourcesByIdTokens: {
        parameters: {
            query?: {
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of assigned tokens, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceTokenList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putResourcesByIdTokensByTokenId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                tokenId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteResourcesByIdTokensByTokenId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                tokenId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed (or was not assigned). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResourcesByIdUsers: {
        parameters: {
            query?: {
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of assigned users, by login. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResourceUserList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putResourcesByIdUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assigned. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteResourcesByIdUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed (or was not assigned). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putResourcesByIdUsersByUserIdToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserTokenAssignment"];
            };
        };
        responses: {
            /** @description Assigned (the same token again is a no-op). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteResourcesByIdUsersByUserIdToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed (or there was none). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokens: {
        parameters: {
            query?: {
                /** @description Continue after the previous page: its `next`. Faster than `start` deep in a list (a page costs the same wherever it is). Not combinable with `start`. */
                cursor?: string;
                limit?: number;
                /** @description Case-insensitive start of the serial number or of the name: `SN-0001` finds SN-000100 … SN-000199, `alice` finds "Alice phone" but `phone` does not. `%` and `_` are plain characters. */
                search?: string;
                start?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tokens, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateToken"];
            };
        };
        responses: {
            /** @description The token. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrolledToken"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokensById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTokensById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchTokensById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchToken"];
            };
        };
        responses: {
            /** @description The changed token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdBypass: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Bypass"];
            };
        };
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTokensByIdBypass: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdCheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    challenge?: string;
                    otp: string;
                };
            };
        };
        responses: {
            /** @description Whether the code is valid now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        valid: boolean;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmToken"];
            };
        };
        responses: {
            /** @description The confirmed, active token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdConfirmation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Where the code went (masked) and until when it is valid. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenConfirmation"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokensByIdEvents: {
        parameters: {
            query?: {
                /** @description Continue after the previous page: its `next`. Faster than `start` deep in a list (a page costs the same wherever it is). Not combinable with `start`. */
                cursor?: string;
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdReissue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token with its new URI and QR code, shown once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrolledToken"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokensByIdResources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assignments, by resource name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            active: boolean;
                            /** @enum {string} */
                            assignment: "token" | "userWithToken";
                            /** Format: uuid */
                            id: string;
                            name: string;
                            /** Format: uuid */
                            userId: string | null;
                        }[];
                        total: number;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    otp1: string;
                    otp2: string;
                };
            };
        };
        responses: {
            /** @description The synchronised token (drift stored). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensByIdUnlock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTokensByIdUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    userId: string;
                };
            };
        };
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTokensByIdUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensImport: {
        parameters: {
            query?: {
                algorithm?: "SHA1" | "SHA256" | "SHA512";
                digits?: number;
                /** @description How the secrets are written: base32 (A-Z, 2-7) or hex. */
                encoding?: "base32" | "hex";
                kind?: "hardware" | "universal";
                period?: number;
                type?: "totp" | "hotp";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description How many tokens were imported. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        imported: number;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsers: {
        parameters: {
            query?: {
                /** @description Continue after the previous page: its `next`. Faster than `start` deep in a list (a page costs the same wherever it is). Not combinable with `start`. */
                cursor?: string;
                limit?: number;
                search?: string;
                start?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUser"];
            };
        };
        responses: {
            /** @description The user. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchUsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchUser"];
            };
        };
        responses: {
            /** @description The changed user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsersByIdLocks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counters with failures or a lock. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["LoginLock"][];
                        total: number;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUsersByIdLocks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlocked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsersByIdResources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Resources. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                        }[];
                        total: number;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsersByIdTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Token"][];
                        total: number;
                    };
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description `valid` true with the verified claims the first time; otherwise `valid` false and `reason`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyResult"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAppApiBackups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppBackupCreateBody"];
            };
        };
        responses: {
            /** @description The backup is stored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppBackupCreated"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many backups written from this address; try later. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAppApiBackupsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The backup id (128 bits, base64url). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The encrypted backup. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppBackup"];
                };
            };
            /** @description No backup has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many backups read from this address; try later. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAppApiBackupsById: {
        parameters: {
            query?: never;
            header?: {
                /** @description The write key returned when the backup was created. */
                "x-veriframe-backup-key"?: string;
            };
            path: {
                /** @description The backup id (128 bits, base64url). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppBackupBody"];
            };
        };
        responses: {
            /** @description The backup is replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppBackupUpdated"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The write key is missing or wrong. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No backup has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 1 MB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many backups written from this address; try later. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAppApiBackupsById: {
        parameters: {
            query?: never;
            header?: {
                /** @description The write key returned when the backup was created. */
                "x-veriframe-backup-key"?: string;
            };
            path: {
                /** @description The backup id (128 bits, base64url). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The write key is missing or wrong. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No backup has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many backups written from this address; try later. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAppApiPushChallenges: {
        parameters: {
            query: {
                /** @description The serial number from the enrolment link. */
                serial: string;
                /** @description Signature of `vfpush/events/v1\n{serial}\n{timestamp}`. */
                signature: string;
                /** @description The device clock in ms; within 5 minutes of the server clock. */
                timestamp: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pending challenges, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushChallengeList"];
                };
            };
            /** @description Malformed body or query (`malformed_json`, `invalid_request` with the field). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown or unregistered device, wrong signature or a clock more than 5 minutes off (`push_device_invalid`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAppApiPushChallengesByIdAnswer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PushAnswer"];
            };
        };
        responses: {
            /** @description The decision was recorded; the waiting sign-in moves on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushAnswered"];
                };
            };
            /** @description Malformed body or query (`malformed_json`, `invalid_request` with the field). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown or unregistered device, wrong signature or a clock more than 5 minutes off (`push_device_invalid`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The signature does not match this device (`push_signature_invalid`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such challenge for this device (`push_challenge_not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Answered already (`push_challenge_answered`): an answer counts once. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The challenge has expired (`push_challenge_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAppApiPushEvents: {
        parameters: {
            query: {
                /** @description The serial number from the enrolment link. */
                serial: string;
                /** @description Signature of `vfpush/events/v1\n{serial}\n{timestamp}`. */
                signature: string;
                /** @description The device clock in ms; within 5 minutes of the server clock. */
                timestamp: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `text/event-stream` of `challenges` events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Malformed body or query (`malformed_json`, `invalid_request` with the field). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown or unregistered device, wrong signature or a clock more than 5 minutes off (`push_device_invalid`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAppApiPushRegister: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PushRegister"];
            };
        };
        responses: {
            /** @description Registered: the token now answers with this key. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushRegistered"];
                };
            };
            /** @description Malformed body or query (`malformed_json`, `invalid_request` with the field). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown serial or wrong secret (`push_enrolment_invalid`), or the signature does not match the key (`push_signature_invalid`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The enrolment secret was used already (`push_enrolment_used`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The enrolment secret has expired (`push_enrolment_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAppApiPushSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PushSubscription"];
            };
        };
        responses: {
            /** @description Registered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushSubscribed"];
                };
            };
            /** @description Malformed body (`invalid_request`), or an endpoint on a push service this server does not send to (`push_service_not_allowed`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown or unregistered device, wrong signature or a clock more than 5 minutes off (`push_device_invalid`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Web Push is not configured on this server (`web_push_not_configured`): the app keeps to server-sent events. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAppApiPushWebPush: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key, or null. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushWebPush"];
                };
            };
        };
    };
    getAppApiTime: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The current time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppServerTime"];
                };
            };
        };
    };
    postConsoleApiEnrolFinish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsoleEnrolFinish"];
            };
        };
        responses: {
            /** @description Done. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The code is not valid for the new authenticator. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postConsoleApiEnrolStart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsoleEnrolStart"];
            };
        };
        responses: {
            /** @description The secret, shown once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleEnrolment"];
                };
            };
            /** @description No such object. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsoleApiSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postConsoleApiSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsoleSessionRequest"];
            };
        };
        responses: {
            /** @description The session: its CSRF value and the administrator. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            /** @description Malformed request (bad JSON or a field with the wrong type). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteConsoleApiSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or an unknown, revoked or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This administrator may not do that. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsoleApiSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The widget parameters of this sign-in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSignIn"];
                };
            };
        };
    };
    postWidgetApiEnrollPush: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    resourceId?: string;
                    transaction: string;
                };
            };
        };
        responses: {
            /** @description The next step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetStep"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWidgetApiIdentify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    login: string;
                    password?: string;
                    resourceId?: string;
                    transaction: string;
                };
            };
        };
        responses: {
            /** @description The next step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetStep"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWidgetApiOtp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    otp: string;
                    resourceId?: string;
                    transaction: string;
                };
            };
        };
        responses: {
            /** @description The next step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetStep"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWidgetApiPush: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    resourceId?: string;
                    transaction: string;
                };
            };
        };
        responses: {
            /** @description The next step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetStep"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWidgetApiResend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    resourceId?: string;
                    transaction: string;
                };
            };
        };
        responses: {
            /** @description When a code may be sent next. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetResend"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWidgetApiStart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    instance: string;
                    nonce: string;
                    origin: string;
                    resourceId: string;
                };
            };
        };
        responses: {
            /** @description The next step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetStart"];
                };
            };
            /** @description Malformed body (`malformed_json`, `invalid_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Wrong login, password or code (`wrong_credentials`, with `details.attemptsLeft`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Cross-site call, origin not allowed, or refused by a filter. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The resource does not exist or is inactive (`resource_unavailable`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The sign-in transaction has expired (`transaction_expired`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body larger than 16 KB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token is locked (`account_locked`). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many attempts (`throttled`); see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
