import PaceDeflate
import PaceJSON
import Testing

/// permessage-deflate on the chat socket: negotiated on the upgrade, a compressed client
/// frame understood, a large fan-out event compressed once and the same bytes sent to every
/// receiver that negotiated it, small events and sockets without deflate left uncompressed.
@Suite("Real time: permessage-deflate")
struct RealtimeCompressionTests {
    static let offer = [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")]

    @Test func theUpgradeAgreesOnDeflate() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token, headers: Self.offer)
        #expect(client.status == 101)
        #expect(client.socket.handshake?.header("sec-websocket-extensions")
                == "permessage-deflate; server_no_context_takeover; client_max_window_bits=13")
        let plain = try ChatClient(app, token: ann.token)
        #expect(plain.socket.handshake?.header("sec-websocket-extensions") == nil)
    }

    @Test func fanOutIsCompressedOnceForEveryDeflateReceiver() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let sender = try ChatClient(app, token: ann.token, headers: Self.offer)
        let bobClient = try ChatClient(app, token: bob.token, headers: Self.offer)
        let catClient = try ChatClient(app, token: cat.token, headers: Self.offer)
        let plain = try ChatClient(app, token: cat.token)
        for client in [sender, bobClient, catClient, plain] { _ = client.next("hello") }

        let body = String(repeating: "a chat line that repeats itself; ", count: 30) + "end"
        let command = #"{"type":"message.send","conversation_id":"\#(room)","body":"\#(body)","client_id":"z-1"}"#
        let deflater = try #require(MessageDeflater(maxWindowBits: 15))
        let compressed = try #require(Array(command.utf8).withUnsafeBytes { deflater.compress($0) })
        sender.socket.send(opcode: 1, payload: compressed, rsv1: true)

        #expect(sender.next("message.ack")?["message"]?["body"]?.stringValue == body)
        for client in [bobClient, catClient, plain] {
            #expect(client.next("message.new")?["message"]?["body"]?.stringValue == body)
        }
        let bobWire = try #require(bobClient.received.last { $0.type == "message.new" })
        let catWire = try #require(catClient.received.last { $0.type == "message.new" })
        #expect(bobWire.compressed && catWire.compressed)
        #expect(bobWire.wire == catWire.wire)
        #expect(bobWire.wire.count * 3 < body.utf8.count)
        #expect(plain.received.last { $0.type == "message.new" }?.compressed == false)
        #expect(sender.received.last { $0.type == "message.ack" }?.compressed == true)

        // A typing event is far below 200 bytes: sent as it is.
        sender.send(#"{"type":"typing","conversation_id":"\#(room)","state":"start"}"#)
        #expect(bobClient.next("typing")?["state"]?.stringValue == "start")
        #expect(bobClient.received.last { $0.type == "typing" }?.compressed == false)
    }

    @Test func deflateCanBeSwitchedOff() throws {
        let app = try TestApp(environment: ["PACE_WS_DEFLATE": "off"])
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token, headers: Self.offer)
        #expect(client.status == 101)
        #expect(client.socket.handshake?.header("sec-websocket-extensions") == nil)
        _ = client.next("hello")
        // Without the extension, RSV1 is a protocol error.
        client.socket.send(opcode: 1, payload: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv1: true)
        #expect(client.waitForClose() == 1002)
    }
}
