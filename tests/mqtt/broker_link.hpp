// Test helper: drives an mqtt::broker under a virtual clock and decodes what it sends to each connection.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_MQTT_BROKER_LINK_HPP
#define RTNOTIFY_TESTS_MQTT_BROKER_LINK_HPP

#include <rtnotify/mqtt/broker.hpp>
#include <rtnotify/mqtt/reader.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rtnotify_test {

namespace mqtt = rtnotify::mqtt;

/** A broker, the virtual time, and per connection what it was sent (decoded)
    and whether and why it was closed. Each call runs the broker and sorts
    its actions; `sent(c)` takes the packets connection `c` got since the
    last call.
*/
struct broker_link
{
    explicit broker_link(mqtt::broker_options opts = {}) : broker(std::move(opts)) {}

    mqtt::broker broker;
    mqtt::broker::time_point now{std::chrono::hours(1)};
    std::map<mqtt::connection_id, mqtt::reader> readers;
    std::map<mqtt::connection_id, std::vector<mqtt::packet>> inbox;
    std::map<mqtt::connection_id, mqtt::error_code> closed; ///< closed by the broker, with why
    std::vector<mqtt::message_received> received;
    std::vector<mqtt::will_published> wills;
    std::vector<mqtt::message_dropped> dropped;

    void open(mqtt::connection_id c)
    {
        broker.open(c, now);
        collect();
    }

    void put(mqtt::connection_id c, mqtt::packet p)
    {
        broker.receive(c, std::move(p), now);
        collect();
    }

    /// Opens `c` and connects it as `client_id`; expects CONNACK 0 and returns its session-present flag.
    bool connect(mqtt::connection_id c, std::string client_id, bool clean = true, std::uint16_t keep_alive = 0,
                 std::optional<mqtt::will> will = std::nullopt)
    {
        open(c);
        put(c, mqtt::connect{4, clean, keep_alive, std::move(client_id), std::move(will), std::nullopt, std::nullopt});
        auto const got = sent(c);
        EXPECT_EQ(got.size(), 1u);
        auto const* ack = got.empty() ? nullptr : std::get_if<mqtt::connack>(&got[0]);
        EXPECT_TRUE(ack && ack->code == mqtt::connect_code::accepted);
        return ack && ack->session_present;
    }

    /// Subscribes `c` to `filter` and returns the SUBACK code.
    std::uint8_t subscribe(mqtt::connection_id c, std::string filter, std::uint8_t qos)
    {
        put(c, mqtt::subscribe{next_id++, {{std::move(filter), qos}}});
        auto const got = sent(c);
        EXPECT_FALSE(got.empty());
        auto const* ack = got.empty() ? nullptr : std::get_if<mqtt::suback>(&got[0]);
        EXPECT_TRUE(ack && ack->codes.size() == 1);
        return ack && ack->codes.size() == 1 ? ack->codes[0] : 0xff;
    }

    void advance(std::chrono::milliseconds d)
    {
        now += d;
        broker.on_timer(now);
        collect();
    }

    void gone(mqtt::connection_id c)
    {
        broker.closed(c, now);
        collect();
    }

    /// The packets `c` was sent since the last call.
    std::vector<mqtt::packet> sent(mqtt::connection_id c) { return std::exchange(inbox[c], {}); }

    /// The PUBLISH packets among `packets`.
    static std::vector<mqtt::publish> publishes(std::vector<mqtt::packet> const& packets)
    {
        std::vector<mqtt::publish> out;
        for(auto const& p : packets)
            if(auto const* pub = std::get_if<mqtt::publish>(&p))
                out.push_back(*pub);
        return out;
    }

    void collect()
    {
        for(auto& a : broker.take_actions())
        {
            if(auto* s = std::get_if<mqtt::send_bytes>(&a))
            {
                EXPECT_FALSE(closed.contains(s->to)) << "bytes sent to closed connection " << s->to;
                auto& r = readers[s->to];
                r.feed(*s->bytes);
                for(auto p = r.next(); p; p = r.next())
                    inbox[s->to].push_back(std::move(*p));
                EXPECT_EQ(r.diag().code, mqtt::error_code()) << r.diag().to_string();
            }
            else if(auto* c = std::get_if<mqtt::close_connection>(&a))
            {
                EXPECT_FALSE(closed.contains(c->connection)) << "closed twice: " << c->connection;
                closed[c->connection] = c->why;
            }
            else if(auto* m = std::get_if<mqtt::message_received>(&a))
                received.push_back(std::move(*m));
            else if(auto* w = std::get_if<mqtt::will_published>(&a))
                wills.push_back(std::move(*w));
            else
                dropped.push_back(std::get<mqtt::message_dropped>(a));
        }
    }

    std::uint16_t next_id = 1;
};

} // namespace rtnotify_test

#endif
