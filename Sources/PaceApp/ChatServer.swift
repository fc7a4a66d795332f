import PaceLoop
import PaceServer
import PaceStore
import PaceSystem
import PaceTLS
import Synchronization

/// The assembled server: storage, blocking pool, services, routes and the HTTP front.
package final class ChatServer: Sendable {
    package let http: HTTPServer
    package let context: AppContext
    package let hub: Hub
    package let uploads: Uploads
    package let refreshTokenSweeper: RefreshTokenSweeper
    /// Erases messages past their retention (`PACE_RETENTION_DAYS`, per conversation).
    package let retention: RetentionJob
    /// `PACE_BLOCKED_WORDS_FILE`, re-read on SIGHUP (`reloadBlockedWords`).
    package let blockedWords: BlockedWordList
    /// The certificate the main listener serves when it speaks TLS; `reloadCertificate` swaps it.
    package let tlsIdentity: TLSServerIdentity?
    /// The plain listener redirecting to HTTPS (`PACE_TLS_REDIRECT_PORT`).
    package let redirect: HTTPServer?
    /// Webhooks and Web Push: delivery to those not connected.
    package let reach: Reach
    /// The Redis bus joining this instance to the others (`PACE_REDIS_URL`); nil alone.
    package let cluster: RedisEventBus?
    /// Sign-in with an external OpenID provider (`PACE_OIDC_*`).
    let oidc: OIDCSignIn

    package init(configuration: ServerConfiguration) throws {
        // First: bad certificate files stop the start-up before anything else is opened.
        let front = try TLSFront(configuration.tls)
        tlsIdentity = front.identity
        let cores = Scheduling.allowedCPUs().count
        try DataDirectory.create(configuration.dataDirectory)
        let store = try ChatStore.open(configuration)
        let key = try SigningKey.load(environment: configuration.environment, dataDirectory: configuration.dataDirectory)
        let authenticator = Authenticator(codec: AccessTokenCodec(key: key), accessTokenSeconds: 15 * 60)
        let pool = try BlockingPool(threads: configuration.blockingThreads > 0 ? configuration.blockingThreads : max(2, cores))
        let hashing = try BlockingPool(threads: cores, name: "pace-hashing", niceness: 19)
        let clustering = try ClusterConfiguration(environment: configuration.environment)
        let cluster = try clustering.redis.map { url throws(SystemError) in
            try RedisEventBus(url: url, channel: clustering.channel, options: clustering.options)
        }
        self.cluster = cluster
        context = AppContext(configuration: configuration, store: store, pool: pool, hashing: hashing,
                             events: cluster ?? LocalEventBus(), authenticator: authenticator)
        let proxyStatistics = configuration.proxyProtocol ? ProxyProtocolStatistics() : nil
        reach = try Reach(context: context)
        let metrics = MetricsBox(store: store, proxyProtocol: proxyStatistics, tls: front.tls?.statistics, reach: reach,
                                 cluster: cluster?.statistics)
        uploads = try Uploads(context: context)
        refreshTokenSweeper = RefreshTokenSweeper(store: store)
        retention = try RetentionJob(store: store, eraser: uploads.eraser, environment: configuration.environment)
        var router = Router()
        uploads.register(in: &router)
        Operations.register(in: &router, metrics: { metrics.render() }, ready: { [context] answer in
            guard cluster?.isReady ?? true else { return answer(false) }
            context.store.read({ database throws(StoreError) in try database.queryFirst("SELECT 1") { $0.int64(0) } },
                               completion: { answer((try? $0.get()) != nil) })
        })
        WebClient().register(in: &router)
        let accounts = try Accounts(context: context)
        AuthRoutes.register(in: &router, accounts: accounts)
        OAuthRoutes.register(in: &router, accounts: accounts, context: context, scheme: front.identity == nil ? "http" : "https")
        UserRoutes.register(in: &router, context: context)
        oidc = try OIDCSignIn(context: context)
        OIDCRoutes.register(in: &router, signIn: oidc)
        blockedWords = try BlockedWordList(environment: configuration.environment)
        let actions = try ChatRoutes.register(in: &router, context: context, eraser: uploads.eraser,
                                              moderation: blockedWords)
        try reach.register(in: &router, context: context, statistics: metrics.admin)
        hub = try Hub(store: store, events: context.events,
                      configuration: try RealtimeConfiguration(environment: configuration.environment))
        RealtimeRoute.register(in: &router, context: context, hub: hub, actions: actions)
        AdminRoutes.register(in: &router, context: context, hub: hub, statistics: metrics.admin)
        ReportRoutes.register(in: &router, context: context, statistics: metrics.admin)
        ServerMuteRoutes.register(in: &router, context: context, statistics: metrics.admin)
        ConversationBanRoutes.register(in: &router, context: context)
        RetentionRoutes.register(in: &router, context: context)
        ConversationExport.register(in: &router, context: context, statistics: metrics.admin)
        AccountExport.register(in: &router, context: context)
        AccountDeletionRoutes.register(in: &router, context: context, hub: hub, accounts: accounts, eraser: uploads.eraser,
                                       statistics: metrics.admin)
        hub.missedCalls.install { conversation, caller, media in
            actions.recordMissedCall(conversationID: conversation, callerID: caller, media: media)
        }
        context.presence.install { [hub, cluster] user in
            let here = hub.presence.presence(of: user)
            return (here == .offline ? cluster?.presence.presence(of: user) ?? here : here).rawValue
        }
        reach.push.install { [hub, cluster] user in
            hub.presence.isConnected(user) || cluster?.presence.presence(of: user) != nil
        }
        authenticator.onRevoke { [hub] family in hub.revoke(family: family) }
        if let cluster { Self.join(cluster, hub: hub, authenticator: authenticator, store: store, rateLimits: context.rateLimits) }
        let loops = configuration.loops > 0 ? configuration.loops : cores
        var httpConfiguration = front.http
        httpConfiguration.trustedProxies = configuration.trustedProxies
        // Socket, then the PROXY header (it precedes the ClientHello), then TLS.
        let proxied = proxyStatistics.map { statistics in
            ProxyProtocolTransport.factory(.init(trustedProxies: configuration.trustedProxies, statistics: statistics))
        } ?? HTTPServer.plainTransport
        let transport = front.tls?.over(proxied) ?? proxied
        http = configuration.listens
            ? try HTTPServer(host: configuration.host, port: configuration.port, loops: loops,
                             pinLoops: configuration.pinLoops, configuration: httpConfiguration,
                             handler: App(router: router), transport: transport)
            : try HTTPServer(unboundLoops: loops, configuration: httpConfiguration, handler: App(router: router))
        if configuration.listens, let port = configuration.tls?.redirectPort {
            redirect = try HTTPServer(host: configuration.host, port: port, loops: 1,
                                      configuration: HTTPServerConfiguration(), handler: HTTPSRedirect(httpsPort: http.port))
        } else {
            redirect = nil
        }
        metrics.fill(server: http, hub: hub)
        hub.attach(loops: http.group.loops)
        uploads.startSweeping(on: http.group.loops[0])
        refreshTokenSweeper.start(on: http.group.loops[0], pool: context.pool)
        reach.start(events: context.events)
        retention.start(on: http.group.loops[0], pool: context.pool)
    }

    /// Graceful stop: finish requests in flight, then close the pool and the store.
    package func shutdown() {
        redirect?.shutdown()
        http.shutdown()
        hub.shutdown()
        reach.shutdown()
        oidc.shutdown()
        cluster?.shutdown()
        context.pool.shutdown()
        context.hashing.shutdown()
        context.store.close()
    }
}

extension ChatServer {
    /// Re-reads the blocked-word list (SIGHUP); a failure keeps the list in force.
    @discardableResult
    package func reloadBlockedWords() -> Bool {
        blockedWords.reload()
    }

    /// Re-reads the certificate and key (SIGHUP): new connections get the new pair, open ones
    /// keep theirs. A failure keeps the running certificate and is logged. Reads files: call it
    /// off the event loops. False when it failed or there is no TLS.
    @discardableResult
    package func reloadCertificate() -> Bool {
        guard let tlsIdentity else {
            Log.info("SIGHUP: no TLS certificate to reload")
            return false
        }
        do throws(TLSConfigurationError) {
            try tlsIdentity.reload()
            Log.info("TLS certificate reloaded", ["certificate": tlsIdentity.certificateChain])
            return true
        } catch {
            Log.error("TLS certificate reload failed; the previous certificate stays in use", ["error": "\(error)"])
            return false
        }
    }
}

/// What TLS changes on the main listener: the transport, the HSTS header and the identity.
private struct TLSFront {
    var identity: TLSServerIdentity?
    var tls: TLSTransportFactory?
    var http = HTTPServerConfiguration()

    init(_ configuration: TLSListenerConfiguration?) throws(ConfigurationError) {
        guard let configuration else { return }
        do throws(TLSConfigurationError) {
            let identity = try TLSServerIdentity(certificateChain: configuration.certificateChain,
                                                 privateKey: configuration.privateKey)
            self.identity = identity
            tls = TLSTransportFactory(identity: identity, settings: configuration.transport)
        } catch {
            throw ConfigurationError("PACE_TLS_CERT/PACE_TLS_KEY cannot be used: \(error)")
        }
        http.fixedResponseHeaders = configuration.hstsHeaderLine
    }
}

/// Lets the metrics route reach the HTTP server and the hub, which exist only after the
/// routes do; the server may already answer a scrape before they are filled in.
private final class MetricsBox: Sendable {
    private let store: any Store
    private let parts = Mutex<(server: HTTPServer?, hub: Hub?)>((nil, nil))
    private let proxyProtocol: ProxyProtocolStatistics?
    private let tls: TLSStatistics?
    private let reach: Reach
    private let cluster: ClusterStatistics?
    /// Audit entries and reports, counted where they are written.
    let admin = AdminStatistics()

    init(store: any Store, proxyProtocol: ProxyProtocolStatistics?, tls: TLSStatistics?, reach: Reach,
         cluster: ClusterStatistics?) {
        self.store = store
        self.cluster = cluster
        self.reach = reach
        self.proxyProtocol = proxyProtocol
        self.tls = tls
    }

    func fill(server: HTTPServer, hub: Hub) {
        parts.withLock { $0 = (server, hub) }
    }

    func render() -> String {
        let (server, hub) = parts.withLock { $0 }
        let extra = (hub?.statistics.render() ?? "") + store.renderMetrics() + (proxyProtocol?.render() ?? "")
            + (tls?.render() ?? "") + reach.renderMetrics() + admin.render() + (cluster?.render() ?? "")
        return MetricsText.render(server?.metrics ?? [], extra: extra)
    }
}
