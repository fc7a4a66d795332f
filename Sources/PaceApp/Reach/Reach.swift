import PaceServer
import PaceSystem

/// Delivery to people and systems that are not connected: the HTTP client, the webhook outbox
/// dispatcher and their admin routes, Web Push, bots and incoming webhooks, assembled once by
/// `ChatServer`.
package final class Reach: Sendable {
    package let configuration: ReachConfiguration
    package let client: HTTPClient
    package let webhooks: WebhookDispatcher
    package let push: PushDispatcher

    package init(context: AppContext) throws {
        configuration = try ReachConfiguration(environment: context.configuration.environment)
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = configuration.allowPrivate
        settings.allowPlainHTTP = configuration.allowPlainHTTP
        settings.caFile = configuration.caFile
        // Pushes go to a handful of push services (one per browser vendor), in bursts: keep
        // every connection of a burst for the next one instead of reconnecting.
        settings.maxIdlePerOrigin = settings.maxConcurrent
        settings.niceness = 19
        client = try HTTPClient(settings: settings)
        webhooks = WebhookDispatcher(store: context.store, client: client, configuration: configuration)
        let environment = context.configuration.environment
        push = try PushDispatcher(store: context.store, client: client,
                              key: try VAPIDKey.load(environment: environment, dataDirectory: context.configuration.dataDirectory),
                              configuration: try PushConfiguration(environment: environment))
    }

    /// `statistics` counts the audit entries of webhook administration.
    package func register(in router: inout Router, context: AppContext, statistics: AdminStatistics = AdminStatistics()) throws {
        WebhookRoutes.register(in: &router, context: context, configuration: configuration, statistics: statistics)
        BotRoutes.register(in: &router, context: context)
        try IncomingWebhookRoutes.register(in: &router, context: context)
        PushSubscriptionRoutes.register(in: &router, context: context, publicKey: push.publicKey,
                                        allowPrivate: configuration.allowPrivate)
    }

    package func start(events: any EventBus) {
        webhooks.start(events: events)
        push.start()
    }

    /// Stops the client's loop; pending deliveries stay in the outbox for the next start.
    package func shutdown() {
        push.shutdown()
        client.shutdown()
    }

    package func renderMetrics() -> String {
        webhooks.statistics.render() + push.statistics.render()
    }
}
