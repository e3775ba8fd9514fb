import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

@Suite("Carrier tracking webhooks")
struct CarrierWebhookTests {
    static let easypost = CarrierProfile(id: "easypost", format: .easypost, secret: "ep-secret")
    static let shippo = CarrierProfile(id: "shippo", format: .shippo, secret: "sh-secret")
    static let generic = CarrierProfile(id: "acme-3pl", format: .generic, secret: "g-secret")

    @Test("the EasyPost tracker.updated sample gives the FedEx scans in order", .enabled(if: Samples.available, Samples.skipMessage))
    func easyPostSample() throws {
        let body = try Samples.bytes("carriers/easypost-tracker-updated-event.json")
        let milestones = try CarrierWebhook.milestones(body: body, profile: Self.easypost)
        #expect(milestones.count == 7)
        #expect(milestones.allSatisfy { $0.trackingNumber == "1" })
        #expect(milestones.map(\.status) == [.labelCreated, .pickedUp, .inTransit, .inTransit, .inTransit, .inTransit, .inTransit])
        #expect(milestones[0].rawStatus == "pre_transit" && milestones[0].rawCode == "label_created")
        #expect(milestones[0].location == "32837, US")
        #expect(milestones[0].message == "Shipment information sent to FedEx")
        #expect(milestones[1].occurredAt == date("2024-07-31T19:27:00Z"))
        #expect(milestones[1].location == "ORLANDO, FL 32809, US")
        #expect(milestones[1].message == "Picked up")
        #expect(milestones[6].location == "EDISON, NJ 08817, US")
        #expect(milestones[6].estimatedDeliveryAt == date("2024-08-05T00:00:00Z"))
        #expect(milestones.dropLast().allSatisfy { $0.estimatedDeliveryAt == nil })
        #expect(milestones.allSatisfy { $0.validate().isEmpty })
        #expect(Set(milestones.map(\.dedupeKey)).count == 7)
    }

    @Test("the Shippo track_updated sample gives one delivered scan", .enabled(if: Samples.available, Samples.skipMessage))
    func shippoSample() throws {
        let body = try Samples.bytes("carriers/shippo-track-updated-webhook-data.json")
        let milestones = try CarrierWebhook.milestones(body: body, profile: Self.shippo)
        #expect(milestones.count == 1)  // the history entry and tracking_status are the same scan
        let scan = try #require(milestones.first)
        #expect(scan.trackingNumber == "9205590164917312751089")
        #expect(scan.status == .delivered)
        #expect(scan.rawStatus == "DELIVERED" && scan.rawCode == "information_received")
        #expect(scan.occurredAt == date("2016-07-23T00:00:00Z"))
        #expect(scan.location == "Las Vegas, NV 89101, US")
        #expect(scan.message == "Your shipment has been delivered at the destination mailbox.")
        #expect(scan.exceptionKind == nil)
    }

    @Test func easyPostSignature() throws {
        let body =
            #"{"description":"tracker.updated","result":{"object":"Tracker","tracking_code":"T1","status":"delivered","updated_at":"2024-08-02T19:26:51Z","tracking_details":[]}}"#
            .bytes
        let good = "hmac-sha256-hex=" + Sign.hex(Sign.mac(body, "ep-secret"))
        try CarrierWebhook.verify(body: body, signature: good, profile: Self.easypost, now: .now)
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "x")
        for header in [nil, "", Sign.hex(Sign.mac(body, "ep-secret")), "hmac-sha256-hex=" + Sign.hex(Sign.mac(tampered, "ep-secret"))] as [String?] {
            let error = connectorError { () throws(ConnectorError) in
                try CarrierWebhook.verify(body: body, signature: header, profile: Self.easypost, now: .now)
            }
            #expect(error?.code == "bad_signature")
            #expect(error?.errors.first?.field == "X-Hmac-Signature")
        }
        // A tracker without details gives one scan from its own status.
        let milestones = try CarrierWebhook.milestones(body: body, profile: Self.easypost)
        #expect(milestones.map(\.status) == [.delivered])
        #expect(milestones.first?.occurredAt == date("2024-08-02T19:26:51Z"))
    }

    @Test("the EasyPost secret is NFKD-normalised, as EasyPost's clients do")
    func easyPostNormalisedSecret() throws {
        let profile = CarrierProfile(id: "easypost", format: .easypost, secret: "s\u{E9}cret")  // é precomposed
        let body = "{}".bytes
        let header = "hmac-sha256-hex=" + Sign.hex(Sign.mac(body, "se\u{301}cret"))  // e + combining acute
        try CarrierWebhook.verify(body: body, signature: header, profile: profile, now: .now)
    }

    @Test func shippoSignature() throws {
        let body = #"{"event":"track_updated","data":{}}"#.bytes
        let now = Date(timeIntervalSince1970: 1_722_600_000)
        let signed = "t=1722600000,v1=" + Sign.hex(Sign.mac("1722600000.".bytes + body, "sh-secret"))
        try CarrierWebhook.verify(body: body, signature: signed, profile: Self.shippo, now: now.addingTimeInterval(100))
        let stale = connectorError { () throws(ConnectorError) in
            try CarrierWebhook.verify(body: body, signature: signed, profile: Self.shippo, now: now.addingTimeInterval(301))
        }
        #expect(stale?.code == "bad_signature")
        let tampered = connectorError { () throws(ConnectorError) in
            try CarrierWebhook.verify(body: body + " ".bytes, signature: signed, profile: Self.shippo, now: now)
        }
        #expect(tampered?.errors.first == .init(field: "Shippo-Auth-Signature", reason: "does not match the body"))
    }

    @Test func easyPostStatusDetailsRefineTheStatus() throws {
        func scan(_ status: String, _ detail: String, _ time: String) -> String {
            #"{"status":"\#(status)","status_detail":"\#(detail)","datetime":"\#(time)","message":"m"}"#
        }
        let details = [
            scan("pre_transit", "label_created", "2024-08-01T01:00:00Z"), scan("in_transit", "weather_delay", "2024-08-01T02:00:00Z"),
            scan("in_transit", "arrived_at_facility", "2024-08-01T03:00:00Z"), scan("failure", "damaged", "2024-08-01T04:00:00Z"),
            scan("return_to_sender", "return", "2024-08-01T05:00:00Z"), scan("teleported", "beamed_up", "2024-08-01T06:00:00Z"),
        ]
        let body =
            #"{"description":"tracker.updated","result":{"object":"Tracker","tracking_code":"T9","tracking_details":[\#(details.joined(separator: ","))]}}"#
        let milestones = try CarrierWebhook.milestones(body: body.bytes, profile: Self.easypost)
        // The delayed in-transit scan already means the carrier has the package: the later plain scan is not the pick-up.
        #expect(milestones.map(\.status) == [.labelCreated, .delayed, .inTransit, .exception, .returnedToSender, .unknown])
        #expect(milestones.map(\.exceptionKind) == [nil, .delayed, nil, .damaged, nil, nil])
        #expect(milestones[5].rawStatus == "teleported" && milestones[5].rawCode == "beamed_up")
        #expect(milestones.allSatisfy { $0.validate().isEmpty })
    }

    @Test func otherEasyPostEventsGiveNoMilestones() throws {
        #expect(
            try CarrierWebhook.milestones(body: #"{"description":"batch.created","result":{"object":"Batch"}}"#.bytes, profile: Self.easypost).isEmpty
        )
    }

    @Test func shippoSubstatuses() throws {
        let body = """
            {"event": "track_updated", "test": true, "data": {"tracking_number": "SH1", "eta": "2024-08-09T00:00:00Z", "tracking_history": [
              {"status": "PRE_TRANSIT", "status_date": "2024-08-01T00:00:00Z"},
              {"status": "TRANSIT", "status_date": "2024-08-02T00:00:00Z", "substatus": {"code": "package_accepted"}},
              {"status": "TRANSIT", "status_date": "2024-08-03T00:00:00Z", "substatus": {"code": "out_for_delivery"}},
              {"status": "TRANSIT", "status_date": "2024-08-04T00:00:00Z", "substatus": {"code": "delivery_attempted"}},
              {"status": "FAILURE", "status_date": "2024-08-05T00:00:00Z", "substatus": {"code": "address_issue"}},
              {"status": "FAILURE", "status_date": "2024-08-06T00:00:00Z"},
              {"status": "RETURNED", "status_date": "2024-08-07T00:00:00Z"},
              {"status": "LOST_IN_SPACE", "status_date": "2024-08-08T00:00:00Z"}]}}
            """
        let milestones = try CarrierWebhook.milestones(body: body.bytes, profile: Self.shippo)
        #expect(
            milestones.map(\.status) == [
                .labelCreated, .pickedUp, .outForDelivery, .deliveryAttempted, .exception, .exception, .returnedToSender, .unknown,
            ]
        )
        #expect(milestones.map(\.exceptionKind) == [nil, nil, nil, nil, .addressIssue, .other, nil, nil])
        #expect(milestones.last?.estimatedDeliveryAt == date("2024-08-09T00:00:00Z"))
        #expect(milestones.allSatisfy { $0.validate().isEmpty })
    }

    @Test func genericFormat() throws {
        let body = """
            {"trackingNumber": "1Z999AA10123456784", "carrier": "UPS", "events": [
              {"status": "delivered", "code": "D1", "occurredAt": "2024-08-05T14:02:00Z", "location": "Brooklyn, NY", "signedBy": "J SMITH"},
              {"status": "exception", "code": "X3", "occurredAt": "2024-08-04T10:00:00.250Z", "exceptionKind": "refused", "message": "Refused"},
              {"status": "beamed", "occurredAt": "2024-08-03T10:00:00Z", "estimatedDeliveryAt": "2024-08-05T00:00:00Z"}]}
            """.bytes
        try CarrierWebhook.verify(body: body, signature: Sign.crossdock(body, "g-secret"), profile: Self.generic, now: .now)
        let milestones = try CarrierWebhook.milestones(body: body, profile: Self.generic)
        #expect(milestones.map(\.status) == [.unknown, .exception, .delivered])
        #expect(milestones[0].rawStatus == "beamed" && milestones[0].estimatedDeliveryAt == date("2024-08-05T00:00:00Z"))
        #expect(milestones[1].exceptionKind == .refused && milestones[1].rawCode == "X3")
        #expect(milestones[2].signedBy == "J SMITH" && milestones[2].location == "Brooklyn, NY")
        let bad = connectorError { () throws(ConnectorError) in
            try CarrierWebhook.verify(body: body, signature: Sign.crossdock(body, "wrong"), profile: Self.generic, now: .now)
        }
        #expect(bad?.code == "bad_signature")
    }

    @Test func genericFormatErrors() {
        let body = """
            {"trackingNumber": "T", "events": [{"status": "exception", "occurredAt": "2024-08-04T10:00:00Z"},
              {"status": "delivered", "occurredAt": "yesterday", "exceptionKind": "stolen"}, {"occurredAt": "2024-08-04T10:00:00Z"}]}
            """
        let error = connectorError { () throws(ConnectorError) in _ = try CarrierWebhook.milestones(body: body.bytes, profile: Self.generic) }
        let fields = Dictionary((error?.errors ?? []).map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(fields["events[0].exceptionKind"] == "is required when status is exception")
        #expect(fields["events[1].occurredAt"] == "must be an RFC 3339 time, e.g. 2024-08-02T19:26:52Z")
        #expect(fields["events[1].exceptionKind"]?.hasPrefix("must be one of damaged, lost") == true)
        #expect(fields["events[2].status"] == "missing")
    }

    @Test func malformedPayloads() {
        for (profile, body, field) in [
            (Self.easypost, "not json", "body"), (Self.shippo, #"{"data": 5}"#, "data"),
            (Self.easypost, #"{"description":"tracker.updated","result":{"tracking_details":[{"status":"in_transit"}]}}"#, "result.tracking_code"),
            (Self.generic, "[]", "body"),
        ] {
            let error = connectorError { () throws(ConnectorError) in _ = try CarrierWebhook.milestones(body: body.bytes, profile: profile) }
            #expect(error?.code == "malformed_payload")
            #expect(error?.errors.first?.field == field, "\(body)")
        }
    }
}
