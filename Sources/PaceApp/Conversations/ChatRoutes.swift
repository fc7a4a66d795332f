/// Registers the chat's REST routes: conversations, members, messages, reactions, read
/// markers and search, with the moderation list read from the environment.
package enum ChatRoutes {
    package static func register(in router: inout Router, context: AppContext) throws(ConfigurationError) {
        let moderation = try BlockedWords.load(environment: context.configuration.environment)
        ConversationRoutes.register(in: &router, context: context)
        MemberRoutes.register(in: &router, context: context)
        MessageRoutes.register(in: &router, context: context, moderation: moderation)
        ReactionRoutes.register(in: &router, context: context)
        ReadMarkerRoutes.register(in: &router, context: context)
        SearchRoutes.register(in: &router, context: context)
    }
}
