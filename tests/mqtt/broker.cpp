// Tests of rtnotify/mqtt/broker.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/broker.hpp>

#include "broker_link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

namespace mqtt = rtnotify::mqtt;
using namespace std::chrono_literals;
using rtnotify_test::broker_link;

mqtt::publish pub(std::string topic, std::string payload, std::uint8_t qos = 0, std::uint16_t id = 0, bool retain = false)
{
    return {std::move(topic), std::move(payload), qos, retain, false, id};
}

// Options with the defaults but what `set` changes.
template<class Set>
mqtt::broker_options options(Set set)
{
    mqtt::broker_options o;
    set(o);
    return o;
}

std::vector<std::string> payloads(std::vector<mqtt::packet> const& packets)
{
    std::vector<std::string> out;
    for(auto const& p : broker_link::publishes(packets))
        out.push_back(p.payload);
    return out;
}

TEST(MqttBroker, AConnectIsAcknowledgedAndAPingAnswered)
{
    broker_link l;
    EXPECT_FALSE(l.connect(1, "a"));
    l.put(1, mqtt::header_only{mqtt::packet_type::pingreq});
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{mqtt::header_only{mqtt::packet_type::pingresp}});
    EXPECT_EQ(l.broker.session_count(), 1u);
}

TEST(MqttBroker, APacketBeforeConnectClosesTheConnectionWithoutAnAnswer)
{
    broker_link l;
    l.open(1);
    l.put(1, mqtt::header_only{mqtt::packet_type::pingreq});
    EXPECT_TRUE(l.sent(1).empty());
    EXPECT_EQ(l.closed.at(1), mqtt::error::connect_expected);
    EXPECT_EQ(l.broker.connection_count(), 0u);
}

TEST(MqttBroker, ASecondConnectAndAServerPacketAreProtocolViolations)
{
    broker_link l;
    l.connect(1, "a");
    l.put(1, mqtt::connect{});
    EXPECT_EQ(l.closed.at(1), mqtt::error::second_connect);
    l.connect(2, "b");
    l.put(2, mqtt::suback{1, {0}});
    EXPECT_EQ(l.closed.at(2), mqtt::error::server_packet);
}

TEST(MqttBroker, AConnectionWithoutConnectIsClosedAfterTheConnectTimeout)
{
    broker_link l(options([](mqtt::broker_options& o) { o.connect_timeout = 2s; }));
    l.open(1);
    EXPECT_EQ(l.broker.next_timer(), l.now + 2s);
    l.advance(1999ms);
    EXPECT_FALSE(l.closed.contains(1));
    l.advance(1ms);
    EXPECT_EQ(l.closed.at(1), mqtt::error::connect_timeout);
    EXPECT_EQ(l.broker.next_timer(), std::nullopt);
}

TEST(MqttBroker, TheKeepAliveExpiresAfterOneAndAHalfTimesItsValueWithoutPackets)
{
    broker_link l;
    l.connect(1, "watcher");
    l.subscribe(1, "wills/#", 0);
    l.connect(2, "dev", true, 10, mqtt::will{"wills/dev", "lost", 0, false});
    l.advance(14s);
    l.put(2, mqtt::header_only{mqtt::packet_type::pingreq}); // resets the 15 s
    l.advance(14s);
    EXPECT_FALSE(l.closed.contains(2));
    l.advance(1s);
    EXPECT_EQ(l.closed.at(2), mqtt::error::keep_alive_expired);
    EXPECT_EQ(payloads(l.sent(1)), std::vector<std::string>{"lost"});
}

TEST(MqttBroker, PublishesReachMatchingSubscriptionsAtTheLowerOfTheirQos)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "sub0");
    l.connect(3, "sub1");
    EXPECT_EQ(l.subscribe(2, "sensors/+/temp", 0), 0);
    EXPECT_EQ(l.subscribe(3, "sensors/#", 2), 1); // max_qos is 1
    l.put(1, pub("sensors/a/temp", "21", 1, 7));
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::packet_id_only{mqtt::packet_type::puback, 7})});
    auto const to2 = broker_link::publishes(l.sent(2));
    auto const to3 = broker_link::publishes(l.sent(3));
    ASSERT_EQ(to2.size(), 1u);
    ASSERT_EQ(to3.size(), 1u);
    EXPECT_EQ(to2[0], pub("sensors/a/temp", "21", 0));
    EXPECT_EQ(to3[0].qos, 1);
    EXPECT_NE(to3[0].packet_id, 0);
    ASSERT_EQ(l.received.size(), 1u);
    EXPECT_EQ(l.received[0].client_id, "pub");
    EXPECT_EQ(l.received[0].message.payload, "21");
    l.put(1, pub("other", "x"));
    EXPECT_TRUE(l.sent(2).empty());
    EXPECT_TRUE(l.sent(3).empty());
}

TEST(MqttBroker, AQos0FanOutSharesOneEncoding)
{
    broker_link l;
    l.connect(1, "a");
    l.connect(2, "b");
    l.connect(3, "c");
    l.subscribe(1, "t", 0);
    l.subscribe(2, "t", 0);
    l.subscribe(3, "t", 1); // a QoS 1 subscription still gets the QoS 0 publish, in the same bytes
    l.broker.publish("t", "x", 0, false);
    std::vector<std::string const*> bytes;
    for(auto const& a : l.broker.take_actions())
        bytes.push_back(std::get<mqtt::send_bytes>(a).bytes.get());
    ASSERT_EQ(bytes.size(), 3u);
    EXPECT_EQ(bytes[0], bytes[1]);
    EXPECT_EQ(bytes[1], bytes[2]);
}

TEST(MqttBroker, OverlappingSubscriptionsGiveOneDeliveryAtTheirHighestQos)
{
    broker_link l;
    l.connect(1, "a");
    l.subscribe(1, "a/+", 0);
    l.subscribe(1, "a/#", 1);
    l.subscribe(1, "a/b", 0);
    l.put(1, pub("a/b", "once", 1, 1));
    auto const got = broker_link::publishes(l.sent(1));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].qos, 1);
}

TEST(MqttBroker, DeliveriesKeepPublishOrderThroughAFullWindow)
{
    broker_link l(options([](mqtt::broker_options& o) { o.max_inflight = 2; }));
    l.connect(1, "pub");
    l.connect(2, "sub");
    l.subscribe(2, "t", 1);
    for(std::uint16_t i = 1; i <= 4; ++i)
        l.put(1, pub("t", "q1-" + std::to_string(i), 1, i));
    l.put(1, pub("t", "q0-5"));
    auto first = broker_link::publishes(l.sent(2));
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].payload, "q1-1");
    EXPECT_EQ(first[1].payload, "q1-2");
    std::vector<std::string> later;
    for(auto const& p : first)
    {
        l.put(2, mqtt::packet_id_only{mqtt::packet_type::puback, p.packet_id});
        for(auto const& q : broker_link::publishes(l.sent(2)))
            later.push_back(q.payload);
    }
    // q0-5 waited behind the QoS 1 messages, then followed them at once (QoS 0 needs no window)
    EXPECT_EQ(later, (std::vector<std::string>{"q1-3", "q1-4", "q0-5"}));
}

TEST(MqttBroker, AFullQueueDropsTheMessageAndReportsIt)
{
    broker_link l(options([](mqtt::broker_options& o) { o.max_inflight = 1; o.max_queued = 2; }));
    l.connect(1, "pub");
    l.connect(2, "slow");
    l.subscribe(2, "t", 1);
    for(std::uint16_t i = 1; i <= 5; ++i)
        l.put(1, pub("t", std::to_string(i), 1, i));
    EXPECT_EQ(payloads(l.sent(2)), std::vector<std::string>{"1"}); // in flight; 2 and 3 queued
    ASSERT_EQ(l.dropped.size(), 2u);
    EXPECT_EQ(l.dropped[0].client_id, "slow");
    EXPECT_EQ(l.dropped[0].topic, "t");
    EXPECT_EQ(l.dropped[0].why, mqtt::error::queue_full);
}

TEST(MqttBroker, TheLimitsOverAllSessionsDropAndRefuse)
{
    auto const message = std::string("t").size() + 10 + mqtt::broker_options::message_overhead;
    broker_link l(options([&](mqtt::broker_options& o) {
        o.max_inflight = 1;
        o.max_total_queued_bytes = 3 * message;
        o.max_total_subscription_bytes = 2 * (1 + mqtt::broker_options::subscription_overhead);
    }));
    l.connect(1, "pub");
    l.connect(2, "s1");
    l.connect(3, "s2");
    EXPECT_EQ(l.subscribe(2, "t", 1), 1);
    EXPECT_EQ(l.subscribe(3, "t", 1), 1);
    EXPECT_EQ(l.subscribe(3, "u", 0), mqtt::suback_failure); // a third filter in all is one too many
    l.put(1, pub("t", "0123456789", 1, 1)); // in flight to both: 2 of 3
    l.put(1, pub("t", "0123456789", 1, 2)); // queued for s1: 3 of 3; dropped for s2
    ASSERT_EQ(l.dropped.size(), 1u);
    EXPECT_EQ(l.dropped[0].client_id, "s2");
    EXPECT_EQ(l.broker.queued_bytes(), 3 * message);
}

TEST(MqttBroker, EveryQueuedByteAndSubscriptionIsGivenBack)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "acks");
    l.connect(3, "leaves", false);
    l.subscribe(2, "t/#", 1);
    l.subscribe(3, "t/+", 1);
    for(std::uint16_t i = 1; i <= 40; ++i)
        l.put(1, pub("t/x", std::string(i, 'p'), i % 2, i));
    for(auto const& p : broker_link::publishes(l.sent(2)))
        if(p.qos == 1)
            l.put(2, mqtt::packet_id_only{mqtt::packet_type::puback, p.packet_id});
    for(std::size_t round = 0; round < 3; ++round) // the window refills as acknowledgements come
        for(auto const& p : broker_link::publishes(l.sent(2)))
            if(p.qos == 1)
                l.put(2, mqtt::packet_id_only{mqtt::packet_type::puback, p.packet_id});
    EXPECT_NE(l.broker.queued_bytes(), 0u); // what "leaves" has not acknowledged
    l.gone(3);
    l.put(3 + 1, mqtt::connect{}); // an unknown connection: nothing happens
    l.connect(4, "leaves", true);  // a clean session replaces the kept one
    l.put(2, mqtt::header_only{mqtt::packet_type::disconnect});
    EXPECT_EQ(l.broker.queued_bytes(), 0u);
    EXPECT_EQ(l.broker.subscription_bytes(), 0u);
}

TEST(MqttBroker, AClientBehindLosesQos0AndItsQos1WaitsInOrder)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "slow");
    l.subscribe(2, "t", 1);
    l.broker.set_behind(2, true);
    l.put(1, pub("t", "q1-a", 1, 1));
    l.put(1, pub("t", "q0-lost"));
    l.put(1, pub("t", "q1-b", 1, 2));
    EXPECT_TRUE(l.sent(2).empty());
    ASSERT_EQ(l.dropped.size(), 1u);
    EXPECT_EQ(l.dropped[0].why, mqtt::error::client_behind);
    l.broker.set_behind(2, false);
    l.collect();
    EXPECT_EQ(payloads(l.sent(2)), (std::vector<std::string>{"q1-a", "q1-b"}));
    l.broker.set_behind(9, true); // an unknown connection: nothing
}

TEST(MqttBroker, AKeptSessionGetsItsQos1MessagesAndUnacknowledgedOnesAgainWithDup)
{
    broker_link l;
    l.connect(1, "pub");
    EXPECT_FALSE(l.connect(2, "sub", false));
    l.subscribe(2, "t", 1);
    l.put(1, pub("t", "m1", 1, 1));
    auto const unacked = broker_link::publishes(l.sent(2));
    ASSERT_EQ(unacked.size(), 1u);
    l.put(2, mqtt::header_only{mqtt::packet_type::disconnect});
    EXPECT_EQ(l.closed.at(2), mqtt::error_code());
    l.put(1, pub("t", "m2", 1, 2));
    l.put(1, pub("t", "m3-qos0"));
    l.put(1, pub("t", "m4", 1, 3));
    l.closed.erase(2);
    l.readers.erase(2);
    l.open(2);
    l.put(2, mqtt::connect{4, false, 0, "sub", std::nullopt, std::nullopt, std::nullopt});
    auto const back = l.sent(2);
    ASSERT_FALSE(back.empty());
    EXPECT_EQ(std::get<mqtt::connack>(back[0]), (mqtt::connack{true, mqtt::connect_code::accepted}));
    auto const again = broker_link::publishes(back);
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].payload, "m1");
    EXPECT_TRUE(again[0].dup);
    EXPECT_EQ(again[0].packet_id, unacked[0].packet_id);
    EXPECT_EQ(again[1].payload, "m2");
    EXPECT_FALSE(again[1].dup);
    EXPECT_EQ(again[2].payload, "m4"); // QoS 0 is not kept for a client that is away
}

TEST(MqttBroker, AKeptSessionExpiresAndItsMessagesAreReportedLost)
{
    broker_link l(options([](mqtt::broker_options& o) { o.session_expiry = 60s; }));
    l.connect(1, "pub");
    l.connect(2, "sub", false);
    l.subscribe(2, "t", 1);
    l.gone(2);
    l.put(1, pub("t", "waiting", 1, 1));
    EXPECT_EQ(l.broker.session_count(), 2u);
    l.advance(60s);
    EXPECT_EQ(l.broker.session_count(), 1u);
    ASSERT_EQ(l.dropped.size(), 1u);
    EXPECT_EQ(l.dropped[0].why, mqtt::error::session_expired);
    EXPECT_FALSE(l.connect(3, "sub", false)); // a new session: nothing present
}

TEST(MqttBroker, ACleanSessionStartsAfresh)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "sub", false);
    l.subscribe(2, "t", 1);
    l.gone(2);
    l.put(1, pub("t", "kept", 1, 1));
    EXPECT_FALSE(l.connect(3, "sub", true));
    EXPECT_TRUE(l.sent(3).empty());
    l.put(1, pub("t", "after", 1, 2));
    EXPECT_TRUE(l.sent(3).empty()); // its old subscription went with the old session
}

TEST(MqttBroker, ASecondConnectionWithTheSameIdentifierTakesOverAndTheFirstsWillIsPublished)
{
    broker_link l;
    l.connect(1, "watcher");
    l.subscribe(1, "wills", 0);
    l.connect(2, "dev", true, 0, mqtt::will{"wills", "dev-1 gone", 0, false});
    l.connect(3, "dev");
    EXPECT_EQ(l.closed.at(2), mqtt::error::taken_over);
    EXPECT_EQ(payloads(l.sent(1)), std::vector<std::string>{"dev-1 gone"});
    EXPECT_EQ(l.broker.session_count(), 2u);
}

TEST(MqttBroker, TheWillGoesOutOnALostConnectionButNotAfterDisconnect)
{
    broker_link l;
    l.connect(1, "watcher");
    l.subscribe(1, "wills/+", 0);
    l.connect(2, "polite", true, 0, mqtt::will{"wills/polite", "x", 0, false});
    l.put(2, mqtt::header_only{mqtt::packet_type::disconnect});
    l.connect(3, "lost", true, 0, mqtt::will{"wills/lost", "y", 0, false});
    l.gone(3);
    l.connect(4, "bad", true, 0, mqtt::will{"wills/bad", "z", 0, false});
    l.broker.refuse(4, mqtt::error::bad_utf8, l.now);
    l.collect();
    EXPECT_EQ(l.closed.at(4), mqtt::error::bad_utf8);
    EXPECT_FALSE(l.closed.contains(3)); // the transport closed it: no close action
    EXPECT_EQ(payloads(l.sent(1)), (std::vector<std::string>{"y", "z"}));
    ASSERT_EQ(l.wills.size(), 2u); // reported for the other nodes of a cluster, polite's not
    EXPECT_EQ(l.wills[0].client_id, "lost");
    EXPECT_EQ(l.wills[0].message, (mqtt::will{"wills/lost", "y", 0, false}));
    EXPECT_EQ(l.wills[1].client_id, "bad");
}

TEST(MqttBroker, RetainedMessagesGoToNewSubscriptionsWithRetainSet)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "live");
    l.subscribe(2, "status/#", 1);
    l.put(1, pub("status/a", "on", 1, 1, true));
    auto const live = broker_link::publishes(l.sent(2));
    ASSERT_EQ(live.size(), 1u);
    EXPECT_FALSE(live[0].retain); // an established subscription: RETAIN 0
    l.put(1, pub("status/b", "off", 0, 0, true));
    EXPECT_EQ(l.broker.retained_count(), 2u);
    l.connect(3, "late");
    l.put(3, mqtt::subscribe{1, {{"status/+", 1}}});
    auto const got = l.sent(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<mqtt::suback>(got[0])); // SUBACK first
    auto const retained = broker_link::publishes(got);
    EXPECT_TRUE(retained[0].retain && retained[1].retain);
    EXPECT_EQ(retained[0].qos, 1);
    EXPECT_EQ(retained[1].qos, 0);
    l.put(1, pub("status/a", "", 0, 0, true)); // clears the topic
    EXPECT_EQ(l.broker.retained_count(), 1u);
}

TEST(MqttBroker, RetainIfAbsentKeepsWithoutSendingAndNeverReplaces)
{
    broker_link l;
    l.connect(1, "pub");
    l.connect(2, "live");
    l.subscribe(2, "status/#", 1);
    l.put(1, pub("status/a", "mine", 1, 1, true));
    l.sent(2);
    EXPECT_FALSE(l.broker.retain_if_absent("status/a", "theirs", 1)) << "held here: kept";
    EXPECT_FALSE(l.broker.retain_if_absent("status/b", "theirs", 1));
    EXPECT_FALSE(l.broker.retain_if_absent("status/c", "", 1)) << "an empty payload keeps nothing";
    EXPECT_TRUE(l.sent(2).empty()) << "nobody hears it";
    EXPECT_EQ(l.broker.retained_count(), 2u);
    EXPECT_EQ(l.broker.retain_if_absent("status/#", "x", 0), mqtt::error::bad_topic_name);
    l.connect(3, "late");
    l.put(3, mqtt::subscribe{1, {{"status/+", 1}}});
    auto const got = broker_link::publishes(l.sent(3));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].payload, "mine");
    EXPECT_EQ(got[1].payload, "theirs");
    EXPECT_TRUE(got[1].retain);
}

TEST(MqttBroker, RetainedMessagesPastTheirLimitsAreNotKeptAndAreReported)
{
    broker_link l(options([](mqtt::broker_options& o) {
        o.max_retained = 2;
        o.max_retained_bytes = 4096;
    }));
    l.connect(1, "pub");
    l.put(1, pub("a", "1", 0, 0, true));
    l.put(1, pub("b", "2", 0, 0, true));
    l.put(1, pub("c", "3", 0, 0, true)); // a third topic: over max_retained
    EXPECT_EQ(l.broker.retained_count(), 2u);
    ASSERT_EQ(l.dropped.size(), 1u);
    EXPECT_EQ(l.dropped[0].topic, "c");
    EXPECT_EQ(l.dropped[0].why, mqtt::error::queue_full);
    l.put(1, pub("a", "again", 0, 0, true)); // replacing a kept topic is within the count
    EXPECT_EQ(l.broker.retained_count(), 2u);
    EXPECT_EQ(l.dropped.size(), 1u);
    l.put(1, pub("b", std::string(5000, 'x'), 0, 0, true)); // over max_retained_bytes: b is cleared, not replaced
    EXPECT_EQ(l.broker.retained_count(), 1u);
    ASSERT_EQ(l.dropped.size(), 2u);
    EXPECT_EQ(l.dropped[1].topic, "b");
    l.connect(2, "late");
    l.put(2, mqtt::subscribe{1, {{"#", 0}}});
    auto const kept = broker_link::publishes(l.sent(2));
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].topic, "a");
    EXPECT_EQ(kept[0].payload, "again");
}

TEST(MqttBroker, AClientIdentifierPastItsLimitIsRejected)
{
    broker_link l(options([](mqtt::broker_options& o) { o.max_client_id_bytes = 8; }));
    l.connect(1, "12345678");
    EXPECT_EQ(l.broker.session_count(), 1u);
    l.open(2);
    l.put(2, mqtt::connect{4, true, 0, "123456789", std::nullopt, std::nullopt, std::nullopt});
    EXPECT_EQ(l.sent(2), std::vector<mqtt::packet>{(mqtt::connack{false, mqtt::connect_code::identifier_rejected})});
    EXPECT_EQ(l.closed.at(2), mqtt::error::connect_refused);
    EXPECT_EQ(l.broker.session_count(), 1u);
}

TEST(MqttBroker, ThePoliciesRefuseTopics)
{
    mqtt::broker_options o;
    o.may_publish = [](mqtt::client_view const&, std::string_view t) { return t == "requests"; };
    o.may_subscribe = [](mqtt::client_view const& c, std::string_view f) {
        return f != "requests" && c.client_id != "nobody";
    };
    broker_link l(o);
    l.connect(1, "a");
    EXPECT_EQ(l.subscribe(1, "requests", 0), mqtt::suback_failure);
    EXPECT_EQ(l.subscribe(1, "answers", 1), 1);
    l.put(1, pub("requests", "ok"));
    EXPECT_EQ(l.received.size(), 1u);
    l.put(1, pub("answers", "forged"));
    EXPECT_EQ(l.closed.at(1), mqtt::error::publish_refused);
    l.connect(2, "nobody");
    EXPECT_EQ(l.subscribe(2, "answers", 0), mqtt::suback_failure);
}

TEST(MqttBroker, SubscriptionsBeyondTheLimitAreRefused)
{
    broker_link l(options([](mqtt::broker_options& o) { o.max_subscriptions = 2; }));
    l.connect(1, "a");
    l.put(1, mqtt::subscribe{1, {{"x", 0}, {"y", 0}, {"z", 0}, {"x", 1}}});
    EXPECT_EQ(std::get<mqtt::suback>(l.sent(1).at(0)).codes, (std::vector<std::uint8_t>{0, 0, mqtt::suback_failure, 1}));
}

TEST(MqttBroker, AnEmptyClientIdentifierIsGivenOneOnlyWithACleanSession)
{
    broker_link l;
    l.connect(1, "");
    EXPECT_EQ(l.broker.session_count(), 1u);
    l.open(2);
    l.put(2, mqtt::connect{4, false, 0, "", std::nullopt, std::nullopt, std::nullopt});
    EXPECT_EQ(l.sent(2), std::vector<mqtt::packet>{(mqtt::connack{false, mqtt::connect_code::identifier_rejected})});
    EXPECT_EQ(l.closed.at(2), mqtt::error::connect_refused);
}

TEST(MqttBroker, AnUnsupportedProtocolLevelIsAnsweredWithCode1ThenClosed)
{
    broker_link l;
    l.open(1);
    l.broker.refuse(1, mqtt::error::unsupported_protocol_level, l.now);
    l.collect();
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::connack{false, mqtt::connect_code::unacceptable_protocol_version})});
    EXPECT_EQ(l.closed.at(1), mqtt::error::unsupported_protocol_level);
}

TEST(MqttBroker, Qos2FromAClientIsRoutedOnceAndReleased)
{
    broker_link l(options([](mqtt::broker_options& o) { o.max_inflight = 2; }));
    l.connect(1, "pub");
    l.connect(2, "sub");
    l.subscribe(2, "t", 1);
    l.put(1, pub("t", "exactly-once", 2, 9));
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::packet_id_only{mqtt::packet_type::pubrec, 9})});
    auto dup = pub("t", "exactly-once", 2, 9);
    dup.dup = true;
    l.put(1, dup);
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::packet_id_only{mqtt::packet_type::pubrec, 9})});
    EXPECT_EQ(payloads(l.sent(2)), std::vector<std::string>{"exactly-once"});
    l.put(1, mqtt::packet_id_only{mqtt::packet_type::pubrel, 9});
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::packet_id_only{mqtt::packet_type::pubcomp, 9})});
    l.put(1, pub("t", "a", 2, 1));
    l.put(1, pub("t", "b", 2, 2));
    l.put(1, pub("t", "c", 2, 3));
    EXPECT_EQ(l.closed.at(1), mqtt::error::too_many_unreleased);
}

TEST(MqttBroker, TheAuthenticatorAndTheSessionLimitRefuseConnects)
{
    mqtt::broker_options o;
    o.max_sessions = 1;
    o.authenticate = [](mqtt::connect const& c, mqtt::connection_id, mqtt::broker::time_point) {
        return c.password == "good" ? mqtt::connect_code::accepted : mqtt::connect_code::bad_user_name_or_password;
    };
    broker_link l(o);
    l.open(1);
    l.put(1, mqtt::connect{4, true, 0, "a", std::nullopt, "u", "bad"});
    EXPECT_EQ(l.sent(1), std::vector<mqtt::packet>{(mqtt::connack{false, mqtt::connect_code::bad_user_name_or_password})});
    EXPECT_EQ(l.closed.at(1), mqtt::error::connect_refused);
    l.open(2);
    l.put(2, mqtt::connect{4, true, 0, "a", std::nullopt, "u", "good"});
    EXPECT_EQ(std::get<mqtt::connack>(l.sent(2).at(0)).code, mqtt::connect_code::accepted);
    l.open(3);
    l.put(3, mqtt::connect{4, true, 0, "b", std::nullopt, "u", "good"});
    EXPECT_EQ(std::get<mqtt::connack>(l.sent(3).at(0)).code, mqtt::connect_code::server_unavailable);
    EXPECT_EQ(l.closed.at(3), mqtt::error::too_many_sessions);
}

TEST(MqttBroker, SendToReachesOneClientWhateverItSubscribed)
{
    broker_link l;
    l.connect(1, "a");
    l.connect(2, "b");
    EXPECT_TRUE(l.broker.send_to(1, "Kuzzle/response", "{}", 0));
    l.collect();
    EXPECT_EQ(payloads(l.sent(1)), std::vector<std::string>{"{}"});
    EXPECT_TRUE(l.sent(2).empty());
    EXPECT_FALSE(l.broker.send_to(9, "x", "y", 0));
    EXPECT_FALSE(l.broker.subscribed(1, "t"));
    l.subscribe(1, "t/+", 0);
    EXPECT_TRUE(l.broker.subscribed(1, "t/x"));
}

TEST(MqttBroker, TheApplicationPublishesLikeAClient)
{
    broker_link l;
    l.connect(1, "a");
    l.subscribe(1, "room-1", 1);
    EXPECT_EQ(l.broker.publish("room-1", "notification", 0, false), mqtt::error_code());
    l.collect();
    auto const got = broker_link::publishes(l.sent(1));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], pub("room-1", "notification", 0));
    EXPECT_TRUE(l.received.empty()); // only clients' publishes are reported
}

TEST(MqttBroker, TheApplicationCannotPublishToWhatIsNotATopicName)
{
    broker_link l;
    l.connect(1, "a");
    l.subscribe(1, "#", 0);
    EXPECT_EQ(l.broker.publish("", "x", 0, false), mqtt::error::bad_topic_name);
    EXPECT_EQ(l.broker.publish("a/#", "x", 0, false), mqtt::error::bad_topic_name);
    EXPECT_EQ(l.broker.publish("a/+/b", "x", 0, true), mqtt::error::bad_topic_name);
    EXPECT_EQ(l.broker.publish(std::string_view("a\0b", 3), "x", 0, false), mqtt::error::bad_utf8);
    EXPECT_EQ(l.broker.publish("caf\xc3", "x", 0, false), mqtt::error::bad_utf8);
    l.collect();
    EXPECT_TRUE(l.sent(1).empty());
    EXPECT_EQ(l.broker.retained_count(), 0u);
}

} // namespace
