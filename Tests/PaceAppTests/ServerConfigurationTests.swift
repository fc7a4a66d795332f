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

    @Test func aPostgresURLSelectsPostgreSQLAndTheUploadsMayLiveElsewhere() throws {
        var configuration = ServerConfiguration()
        try configuration.apply(environment: ["PACE_DATA_DIR": "/srv/pace"])
        #expect(configuration.postgres == nil)
        #expect(configuration.uploadsDirectory == "/srv/pace/uploads")
        try configuration.apply(environment: ["PACE_DATABASE_URL": "postgresql://db/pace", "PACE_UPLOADS_DIR": "/shared/uploads",
                                              "PACE_PG_POOL": "3"])
        #expect(configuration.postgres?.url == "postgresql://db/pace")
        #expect(configuration.postgres?.readerCount == 3)
        #expect(configuration.uploadsDirectory == "/shared/uploads")
        var refused = ServerConfiguration()
        #expect {
            try refused.apply(environment: ["PACE_DATABASE_URL": "sqlite:///tmp/x"])
        } throws: { error in
            "\(error)".contains("PACE_DATABASE_URL must start with postgres:// or postgresql://")
        }
    }
}
