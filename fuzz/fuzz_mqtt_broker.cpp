// Fuzz target for the MQTT broker engine: clients on several connections sending raw bytes and packets, under a virtual clock.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a program: each step opens a connection, feeds one raw bytes
// (through an mqtt::reader, as a transport does), sends it a well-formed
// packet from a small menu, drops it, moves the clock, publishes from the
// application, or says its transport is behind. Tiny limits make every bound reachable. Properties checked:
// - nothing is sent to, or closed on, a connection that is closed or unknown;
// - every connection's bytes decode, and the first packet it gets is CONNACK;
// - a connection never has more unacknowledged QoS 1 messages than `max_inflight`;
// - the broker keeps at most `max_sessions` sessions and `max_retained` retained messages;
// - once every client has left and the kept sessions expired, no session,
//   queued byte or subscription byte is left counted.
#include <rtnotify/mqtt.hpp>

#include "fuzz_support.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace mqtt = rtnotify::mqtt;

using rtnotify_fuzz::check;

namespace {

struct client
{
    mqtt::reader in;            // what the client sent, as the transport decodes it
    mqtt::reader out;           // what the broker sent it
    bool refused = false;       // its reader failed and the broker was told
    bool got_bytes = false;
    std::deque<std::uint16_t> unacked; // QoS 1 messages it got and did not acknowledge
};

struct harness
{
    mqtt::broker_options opts = [] {
        mqtt::broker_options o;
        o.connect_timeout = std::chrono::seconds(1);
        o.max_sessions = 3;
        o.max_client_id_bytes = 8;
        o.max_subscriptions = 3;
        o.max_inflight = 2;
        o.max_queued = 3;
        o.max_queued_bytes = 64;
        o.session_expiry = std::chrono::seconds(5);
        o.max_retained = 2;
        o.max_retained_bytes = 32;
        o.may_publish = [](mqtt::client_view const&, std::string_view t) { return t != "ro"; };
        o.may_subscribe = [](mqtt::client_view const&, std::string_view f) { return f != "wo"; };
        o.authenticate = [](mqtt::connect const& c, mqtt::connection_id, mqtt::broker::time_point) {
            return c.user_name == "bad" ? mqtt::connect_code::not_authorized : mqtt::connect_code::accepted;
        };
        return o;
    }();
    mqtt::broker b{opts};
    mqtt::broker::time_point now{};
    std::map<mqtt::connection_id, client> live;
    mqtt::connection_id next = 1;

    void drain()
    {
        for(auto& a : b.take_actions())
        {
            if(auto* s = std::get_if<mqtt::send_bytes>(&a))
            {
                auto it = live.find(s->to);
                check(it != live.end(), "bytes only for open connections");
                auto& c = it->second;
                c.out.feed(*s->bytes);
                for(auto p = c.out.next(); p; p = c.out.next())
                {
                    check(c.got_bytes || std::holds_alternative<mqtt::connack>(*p), "CONNACK comes first");
                    c.got_bytes = true;
                    if(auto const* pub = std::get_if<mqtt::publish>(&*p); pub && pub->qos == 1)
                        c.unacked.push_back(pub->packet_id);
                    check(c.unacked.size() <= opts.max_inflight, "at most max_inflight unacknowledged");
                }
                check(c.out.diag().code == mqtt::error_code(), "the broker's bytes decode");
            }
            else if(auto* x = std::get_if<mqtt::close_connection>(&a))
                check(live.erase(x->connection) == 1, "only open connections are closed");
            else if(auto* m = std::get_if<mqtt::message_received>(&a))
                check(live.contains(m->from), "messages come from open connections");
        }
        check(b.session_count() <= opts.max_sessions, "sessions bounded");
        check(b.retained_count() <= opts.max_retained, "retained messages bounded");
    }

    // Hands connection `c` the packets its reader decodes now.
    void decode(mqtt::connection_id c)
    {
        auto& cl = live.at(c);
        for(;;)
        {
            auto p = cl.in.next();
            if(p)
            {
                b.receive(c, std::move(*p), now);
                drain();
                if(!live.contains(c))
                    return;
                continue;
            }
            if(p.error() != mqtt::error::need_more && !cl.refused)
            {
                cl.refused = true;
                b.refuse(c, p.error(), now);
                drain();
            }
            return;
        }
    }

    void put(mqtt::connection_id c, mqtt::packet const& p)
    {
        std::string bytes;
        if(mqtt::encode(p, bytes))
            return;
        live.at(c).in.feed(bytes);
        decode(c);
    }
};

constexpr char const* client_ids[] = {"a", "b", "c", "", "toolongid"};
constexpr char const* topics[] = {"t", "t/x", "ro", "wo", "$SYS/x"};
constexpr char const* filters[] = {"t", "t/+", "#", "wo", "+/x", "$SYS/#"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    rtnotify_fuzz::input in{data, size};
    harness h;
    while(!in.empty())
    {
        auto const op = in.byte() % 10;
        if(op == 0 || h.live.empty())
        {
            if(h.live.size() < 4)
            {
                h.live.try_emplace(h.next);
                h.b.open(h.next++, h.now);
                h.drain();
            }
            continue;
        }
        auto it = h.live.begin();
        std::advance(it, in.byte() % h.live.size());
        auto const c = it->first;
        auto& cl = it->second;
        switch(op)
        {
        case 1: // raw bytes
            cl.in.feed(in.bytes(in.byte() % 32));
            h.decode(c);
            break;
        case 2: { // CONNECT
            auto const flags = in.byte();
            mqtt::connect con{4, (flags & 1) != 0, static_cast<std::uint16_t>(flags >> 5), in.pick(client_ids),
                              std::nullopt, std::nullopt, std::nullopt};
            if(flags & 2)
                con.will = mqtt::will{in.pick(topics), "will", static_cast<std::uint8_t>((flags >> 2) % 3), (flags & 16) != 0};
            if(flags & 8)
                con.user_name = (flags & 16) ? "bad" : "user";
            h.put(c, con);
            break;
        }
        case 3: { // SUBSCRIBE or UNSUBSCRIBE
            auto const f = in.pick(filters);
            auto const q = in.byte();
            if(q & 0x80)
                h.put(c, mqtt::unsubscribe{1, {f}});
            else
                h.put(c, mqtt::subscribe{static_cast<std::uint16_t>(q + 1), {{f, static_cast<std::uint8_t>(q % 3)}}});
            break;
        }
        case 4: { // PUBLISH
            auto const flags = in.byte();
            auto const qos = static_cast<std::uint8_t>(flags % 3);
            h.put(c, mqtt::publish{in.pick(topics), std::string(in.byte() % 24, 'p'), qos, (flags & 4) != 0,
                                   (flags & 8) != 0 && qos != 0, static_cast<std::uint16_t>(qos ? (flags >> 4) + 1 : 0)});
            break;
        }
        case 5: // PUBACK of the oldest unacknowledged message, PUBREL, PINGREQ or DISCONNECT
            switch(in.byte() % 4)
            {
            case 0:
                if(!cl.unacked.empty())
                {
                    auto const id = cl.unacked.front();
                    cl.unacked.pop_front();
                    h.put(c, mqtt::packet_id_only{mqtt::packet_type::puback, id});
                }
                break;
            case 1: h.put(c, mqtt::packet_id_only{mqtt::packet_type::pubrel, static_cast<std::uint16_t>(in.byte() % 16 + 1)}); break;
            case 2: h.put(c, mqtt::header_only{mqtt::packet_type::pingreq}); break;
            default: h.put(c, mqtt::header_only{mqtt::packet_type::disconnect}); break;
            }
            break;
        case 6: // the transport loses it
            h.live.erase(it);
            h.b.closed(c, h.now);
            h.drain();
            break;
        case 7: // time passes
            h.now += std::chrono::milliseconds(in.byte() * 100);
            h.b.on_timer(h.now);
            h.drain();
            break;
        case 8: // the application publishes
            h.b.publish(in.pick(topics), "app", in.byte() % 2, (in.byte() & 1) != 0);
            h.drain();
            break;
        default: { // the application answers one client, or its transport falls behind or catches up
            auto const b = in.byte();
            if(b & 4)
                h.b.set_behind(c, (b & 8) != 0);
            else
                h.b.send_to(c, "resp", "r", b % 2);
            h.drain();
            break;
        }
        }
    }
    // Everyone leaves and the kept sessions expire: nothing may stay counted.
    while(!h.live.empty())
    {
        auto const c = h.live.begin()->first;
        h.live.erase(h.live.begin());
        h.b.closed(c, h.now);
        h.drain(); // the wills of those leaving reach those still there
    }
    h.now += h.opts.session_expiry;
    h.b.on_timer(h.now);
    h.drain();
    check(h.b.session_count() == 0 && h.b.connection_count() == 0, "no session outlives its expiry");
    check(h.b.queued_bytes() == 0, "every queued byte is given back");
    check(h.b.subscription_bytes() == 0, "every subscription byte is given back");
    return 0;
}
