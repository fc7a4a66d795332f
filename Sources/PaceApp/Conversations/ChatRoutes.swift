/// Registers the chat's REST routes: conversations, members, messages, reactions, read
/// markers and search, with the moderation list read from the environment.
package enum ChatRoutes {
    /// Returns what the WebSocket needs to send and read through the same services. `eraser`
    /// deletes the files of attachments that go with a deleted message.
    package static func register(in router: inout Router, context: AppContext, eraser: ContentEraser,
                                 moderation: BlockedWordList) throws(ConfigurationError) -> ChatActions {
        let throttle = try MessageThrottle(environment: context.configuration.environment, sharing: context.rateLimits)
        ChannelRoutes.register(in: &router, context: context)
        ConversationRoutes.register(in: &router, context: context)
        MemberRoutes.register(in: &router, context: context)
        MessageRoutes.register(in: &router, context: context, moderation: moderation, eraser: eraser,
                               throttle: throttle)
        ReactionRoutes.register(in: &router, context: context)
        ReadMarkerRoutes.register(in: &router, context: context)
        MentionRoutes.register(in: &router, context: context)
        ThreadRoutes.register(in: &router, context: context)
        ReadPositionRoutes.register(in: &router, context: context)
        Pins.register(in: &router, context: context)
        EditHistoryRoutes.register(in: &router, context: context)
        Blocks.register(in: &router, context: context)
        SeedTwoRoutes.register(in: &router, context: context)
        SearchRoutes.register(in: &router, context: context)
        KeyRoutes.register(in: &router, context: context)
        try TurnRoutes.register(in: &router, context: context)
        return MessageActions(context: context, moderation: moderation, throttle: throttle)
    }
}
