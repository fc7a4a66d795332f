import PaceApp
import Testing

@Suite struct ServerConfigurationTests {
    @Test func loopsArePinnedUnlessTurnedOff() throws {
        var configuration = ServerConfiguration()
        #expect(configuration.pinLoops)
        try configuration.apply(environment: ["PACE_PIN_LOOPS": "off"])
        #expect(!configuration.pinLoops)
        try configuration.apply(environment: ["PACE_PIN_LOOPS": "on"])
        #expect(configuration.pinLoops)
    }

    @Test func aPinSettingOtherThanOnOrOffIsRefusedByName() {
        var configuration = ServerConfiguration()
        #expect {
            try configuration.apply(environment: ["PACE_PIN_LOOPS": "yes"])
        } throws: { error in
            "\(error)".contains("PACE_PIN_LOOPS must be on or off")
        }
    }
}
