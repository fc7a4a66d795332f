import PaceServer
import PaceSystem

/// Delivery to systems that are not connected: the HTTP client, the webhook outbox dispatcher
/// and their admin routes, bots and incoming webhooks, assembled once by `ChatServer`.
package final class Reach: Sendable {
    package let configuration: ReachConfiguration
    package let client: HTTPClient
    package let webhooks: WebhookDispatcher

    package init(context: AppContext) throws {
        configuration = try ReachConfiguration(environment: context.configuration.environment)
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = configuration.allowPrivate
        settings.allowPlainHTTP = configuration.allowPlainHTTP
        settings.caFile = configuration.caFile
        client = try HTTPClient(settings: settings)
        webhooks = WebhookDispatcher(store: context.store, client: client, configuration: configuration)
    }

    /// `statistics` counts the audit entries of webhook administration.
    package func register(in router: inout Router, context: AppContext, statistics: AdminStatistics = AdminStatistics()) throws {
        WebhookRoutes.register(in: &router, context: context, configuration: configuration, statistics: statistics)
        BotRoutes.register(in: &router, context: context)
        try IncomingWebhookRoutes.register(in: &router, context: context)
    }

    package func start(events: any EventBus) {
        webhooks.start(events: events)
    }

    /// Stops the client's loop; pending deliveries stay in the outbox for the next start.
    package func shutdown() {
        client.shutdown()
    }

    package func renderMetrics() -> String {
        webhooks.statistics.render()
    }
}
