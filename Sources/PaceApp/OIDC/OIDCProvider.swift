import PaceCrypto
import PaceJSON
import PaceServer
import Synchronization

/// The parts of a provider's discovery document Pace uses (OpenID Connect Discovery §3).
struct OIDCDiscovery: Sendable {
    let authorizationEndpoint: String
    let tokenEndpoint: OutboundURL
    let jwksURI: OutboundURL
}

/// Talks to the configured OpenID provider through Pace's HTTP client: the discovery document
/// (cached for an hour), the JWKS (cached; fetched again for an unknown `kid`, at most once per
/// `keyRefetchMilliseconds`, so forged `kid`s cannot make Pace hammer the provider) and the
/// token endpoint. Completions run on the client's loop thread and only hand off.
final class OIDCProvider: Sendable {
    private struct Cache {
        var discovery: OIDCDiscovery?
        var discoveredAt: Int64 = 0
        var keys = JSONWebKeySet(entries: [])
        var keysFetchedAt: Int64?
    }

    static let discoveryLifetimeMilliseconds: Int64 = 3_600_000
    static let keyRefetchMilliseconds: Int64 = 30_000
    static let timeoutMilliseconds: Int64 = 10_000

    let configuration: OIDCConfiguration
    let client: HTTPClient
    private let cache = Mutex(Cache())
    private let now: @Sendable () -> Int64

    init(configuration: OIDCConfiguration, now: @escaping @Sendable () -> Int64) throws {
        self.configuration = configuration
        self.now = now
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = configuration.allowPrivate
        settings.caFile = configuration.caFile
        settings.maxConcurrent = 16
        settings.maxBodyBytes = 256 * 1024
        client = try HTTPClient(settings: settings)
    }

    func shutdown() { client.shutdown() }

    func discovery(_ completion: @escaping @Sendable (Result<OIDCDiscovery, OIDCError>) -> Void) {
        let time = now()
        let cached = cache.withLock { cache in
            cache.discovery.flatMap { time - cache.discoveredAt < Self.discoveryLifetimeMilliseconds ? $0 : nil }
        }
        if let cached { return completion(.success(cached)) }
        guard let url = configuration.discoveryURL else { return completion(.failure(.providerUnavailable)) }
        fetchJSON(OutboundRequest(method: "GET", url: url, timeoutMilliseconds: Self.timeoutMilliseconds)) { [self] result in
            completion(result.flatMap { document in
                // Discovery §4.3: the document's issuer must be exactly the one configured.
                guard document["issuer"]?.stringValue == configuration.issuer,
                      let authorization = document["authorization_endpoint"]?.stringValue,
                      OutboundURL(authorization) != nil,
                      let token = document["token_endpoint"]?.stringValue.flatMap(OutboundURL.init),
                      let jwks = document["jwks_uri"]?.stringValue.flatMap(OutboundURL.init),
                      configuration.permits(token), configuration.permits(jwks) else {
                    return .failure(.providerUnavailable)
                }
                let discovery = OIDCDiscovery(authorizationEndpoint: authorization, tokenEndpoint: token, jwksURI: jwks)
                cache.withLock { $0.discovery = discovery; $0.discoveredAt = time }
                return .success(discovery)
            })
        }
    }

    /// The key that signed `token`, from the cache or a fresh JWKS.
    func key(for token: IDToken, jwksURI: OutboundURL,
             _ completion: @escaping @Sendable (Result<VerificationKey, OIDCError>) -> Void) {
        let time = now()
        let (cached, refetch) = cache.withLock { cache -> (VerificationKey?, Bool) in
            if let key = cache.keys.key(id: token.keyID, kind: token.keyKind) { return (key, false) }
            if let fetched = cache.keysFetchedAt, time - fetched < Self.keyRefetchMilliseconds { return (nil, false) }
            cache.keysFetchedAt = time
            return (nil, true)
        }
        if let cached { return completion(.success(cached)) }
        guard refetch else { return completion(.failure(.unknownKey)) }
        fetchJSON(OutboundRequest(method: "GET", url: jwksURI, timeoutMilliseconds: Self.timeoutMilliseconds)) { [self] result in
            switch result {
            case .success(let document):
                guard let keys = JSONWebKeySet(document) else { return completion(.failure(.providerUnavailable)) }
                cache.withLock { $0.keys = keys }
                completion(keys.key(id: token.keyID, kind: token.keyKind).map { .success($0) } ?? .failure(.unknownKey))
            case .failure(let error):
                // Let the next sign-in try again instead of waiting out the interval.
                cache.withLock { $0.keysFetchedAt = nil }
                completion(.failure(error))
            }
        }
    }

    /// Trades the authorization `code` for the ID token (OIDC Core §3.1.3.1).
    func exchange(code: String, verifier: String, tokenEndpoint: OutboundURL,
                  _ completion: @escaping @Sendable (Result<String, OIDCError>) -> Void) {
        var fields = [("grant_type", "authorization_code"), ("code", code),
                      ("redirect_uri", configuration.redirectURI), ("code_verifier", verifier)]
        var headers = [(name: "Content-Type", value: "application/x-www-form-urlencoded"),
                       (name: "Accept", value: "application/json")]
        switch configuration.authentication {
        case .basic:
            // RFC 6749 §2.3.1: both parts form-encoded before Base64.
            let pair = FormEncoding.escape(configuration.clientID) + ":" + FormEncoding.escape(configuration.clientSecret)
            headers.append((name: "Authorization", value: "Basic " + Base64.standard.encode(Array(pair.utf8))))
        case .post:
            fields += [("client_id", configuration.clientID), ("client_secret", configuration.clientSecret)]
        }
        let request = OutboundRequest(method: "POST", url: tokenEndpoint, headers: headers,
                                      body: Array(FormEncoding.encode(fields).utf8),
                                      timeoutMilliseconds: Self.timeoutMilliseconds)
        client.send(request) { result in
            guard case .success(let response) = result, !response.truncated else {
                return completion(.failure(.providerUnavailable))
            }
            let document = try? JSONParser.parse(response.body, maxDepth: 8)
            if response.status == 400 || response.status == 401 {
                // RFC 6749 §5.2: invalid_grant is a used, expired or foreign code.
                return completion(.failure(document?["error"]?.stringValue == "invalid_grant" ? .codeRejected : .providerUnavailable))
            }
            guard response.status == 200, let idToken = document?["id_token"]?.stringValue else {
                return completion(.failure(.providerUnavailable))
            }
            completion(.success(idToken))
        }
    }

    private func fetchJSON(_ request: OutboundRequest, _ completion: @escaping @Sendable (Result<JSONValue, OIDCError>) -> Void) {
        var request = request
        request.headers.append((name: "Accept", value: "application/json"))
        client.send(request) { result in
            guard case .success(let response) = result, response.status == 200, !response.truncated,
                  let document = try? JSONParser.parse(response.body, maxDepth: 8), document.objectValue != nil else {
                return completion(.failure(.providerUnavailable))
            }
            completion(.success(document))
        }
    }
}
