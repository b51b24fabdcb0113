// Fuzz target for the session engines.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a program: each byte picks an operation (and the next bytes
// its arguments) on one server and four clients joined by a network that the
// program can make lose requests and replies. Two operations hand the server
// raw bytes, as a hostile client would: a Bayeux batch decoded from them, or
// a SmartREST real-time body through the bridge.
// Properties checked:
// - nothing crashes, and the server's limits hold (sessions, queue length);
// - no engine keeps reporting a deadline that has passed (a busy loop);
// - every request gets at most one response, never on a closed exchange,
//   and after a quiet period only requests sent within the longest hold time
//   are still unanswered (held connects);
// - no client sees the same message twice, and each client sees each
//   publisher's messages in publish order;
// - what the SmartREST bridge answers decodes as SmartREST.
#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/session/client.hpp>
#include <rtnotify/session/server.hpp>
#include <rtnotify/session/smartrest_bridge.hpp>
#include <rtnotify/smartrest/decode.hpp>

#include "fuzz_support.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;
using namespace std::chrono_literals;
using rtnotify_fuzz::check;
using rtnotify_fuzz::input;

namespace {

constexpr std::size_t n_clients = 4;
char const* const channels[] = {"/a", "/a/b", "/b", "/a/*", "/a/**", "/**", "/service/x", "/meta/x"};

struct harness
{
    ss::server_options opts = [] {
        ss::server_options o;
        o.max_sessions = 16;
        o.max_queue = 6;
        o.max_batch = 3;
        o.max_subscriptions = 5;
        o.timeout = 2000ms;
        o.max_interval = 3000ms;
        o.max_client_timeout = 2000ms;
        o.wall_clock_ms = [] { return std::int64_t(1'700'000'000'000); }; // timesync replies on
        return o;
    }();
    ss::server srv{opts};
    rtnotify::smartrest::registry templates = [] {
        rtnotify::smartrest::registry r;
        r.handle("x", rtnotify::smartrest::decode("11,100,$,$.a,$.a,$.b\n").value());
        r.handle("y", rtnotify::smartrest::decode("11,101,$.list,,$.n\n").value());
        return r;
    }();
    ss::smartrest_bridge bridge{srv, templates};
    std::vector<ss::client> clients = std::vector<ss::client>(n_clients);
    ss::time_point now{};
    ss::exchange_id next_exchange = 1;
    bool lose_next_request = false;
    bool lose_next_reply = false;

    struct flight
    {
        std::size_t client; // n_clients for a raw batch
        std::uint64_t request;
        bool lose;
        ss::time_point since;
    };
    std::map<ss::exchange_id, flight> open;       // sent, not answered
    std::set<ss::exchange_id> closed_exchanges;
    std::vector<std::map<std::int64_t, std::int64_t>> last_seq =
        std::vector<std::map<std::int64_t, std::int64_t>>(n_clients); // per client: publisher -> last seq seen
    std::vector<std::set<std::int64_t>> seen = std::vector<std::set<std::int64_t>>(n_clients);
    std::int64_t seq = 0;

    std::vector<ss::smartrest_response> responses;
    std::vector<ss::server_action> actions;

    void route()
    {
        bridge.take_actions(responses, actions);
        for(auto const& r : responses)
        {
            check(rtnotify::smartrest::decode(r.body).has_value());
            check(open.erase(r.exchange) == 1);
        }
        responses.clear();
        for(auto& a : actions)
        {
            auto* s = std::get_if<ss::send>(&a);
            if(!s || s->push)
                continue;
            check(!closed_exchanges.contains(s->exchange));
            auto it = open.find(s->exchange);
            check(it != open.end()); // a response to a request that has none yet
            auto const f = it->second;
            open.erase(it);
            if(f.client == n_clients)
                continue;
            if(f.lose)
                clients[f.client].fail(f.request, now);
            else
                clients[f.client].receive(f.request, ss::messages_in_order(*s), now);
        }
        actions.clear();
        check(srv.session_count() <= opts.max_sessions);
        check(srv.queued_bytes() <= opts.max_total_queue_bytes);
        check(srv.session_count() != 0 || srv.queued_bytes() == 0); // nothing held for sessions that are gone
    }

    void pump()
    {
        for(std::size_t i = 0; i < n_clients; ++i)
            while(auto r = clients[i].next_request(now))
            {
                if(std::exchange(lose_next_request, false))
                {
                    clients[i].fail(r->id, now);
                    continue;
                }
                auto const ex = next_exchange++;
                open[ex] = {i, r->id, std::exchange(lose_next_reply, false), now};
                srv.receive(ex, std::move(r->messages), now);
                route();
            }
        for(std::size_t i = 0; i < n_clients; ++i)
        {
            check(srv.pending(clients[i].client_id()) <= opts.max_queue + opts.max_batch);
            for(auto& e : clients[i].take_events())
                if(auto* d = std::get_if<ss::delivered>(&e))
                    observe(i, d->message);
        }
    }

    void observe(std::size_t i, bx::message const& m)
    {
        auto const* o = m.data ? m.data->if_object() : nullptr;
        if(!o || !o->contains("p") || !o->contains("s") || !(*o).at("p").is_int64() || !(*o).at("s").is_int64())
            return; // published by a raw batch
        auto const p = o->at("p").as_int64();
        auto const s = o->at("s").as_int64();
        check(seen[i].insert(s).second);  // never twice
        auto& last = last_seq[i][p];
        check(s > last);                  // in publish order
        last = s;
    }

    void advance(ss::duration d)
    {
        auto const target = now + d;
        int stuck = 0;
        while(true)
        {
            auto next = srv.next_deadline();
            for(auto& c : clients)
                if(auto t = c.next_deadline(); t && (!next || *t < *next))
                    next = t;
            if(!next || *next > target)
                break;
            // a deadline that stays in the past after its timer ran would make a real event loop spin
            stuck = *next <= now ? stuck + 1 : 0;
            check(stuck < 100);
            now = std::max(now, *next);
            srv.on_timer(now);
            route();
            for(auto& c : clients)
                c.on_timer(now);
            pump();
        }
        now = target;
        pump();
    }

    void step(input& in)
    {
        auto const op = in.byte();
        auto& c = clients[in.byte() % n_clients];
        auto const arg = in.byte();
        switch(op % 13)
        {
        case 0: c.handshake(now); break;
        case 1: c.subscribe(channels[arg % std::size(channels)]); break;
        case 2: c.unsubscribe(channels[arg % std::size(channels)]); break;
        case 3:
        {
            auto const who = static_cast<std::int64_t>(&c - clients.data());
            c.publish(channels[arg % 3], {{"p", who}, {"s", ++seq}});
            break;
        }
        case 4: c.disconnect(); break;
        case 5: advance(ss::duration(arg * 37)); break;
        case 6: lose_next_request = true; break;
        case 7: lose_next_reply = true; break;
        case 8:
        {
            bx::message m;
            m.channel = channels[arg % 3];
            m.data = arg;
            srv.publish(std::move(m), now);
            route();
            break;
        }
        case 9:
            if(!open.empty())
            {
                auto it = std::next(open.begin(), static_cast<std::ptrdiff_t>(arg % open.size()));
                auto const f = it->second;
                closed_exchanges.insert(it->first);
                srv.close_exchange(it->first, now);
                open.erase(it);
                if(f.client != n_clients)
                    clients[f.client].fail(f.request, now);
            }
            break;
        case 10:
        {
            // a raw batch from a hostile peer, naming a real session now and then
            auto body = std::string(in.bytes(arg));
            if(auto const pos = body.find("$ID"); pos != std::string::npos)
                body.replace(pos, 3, clients[arg % n_clients].client_id());
            if(auto batch = bx::decode(body))
            {
                for(auto& m : *batch) // only the clients' publishes carry a publisher mark
                    if(m.data && m.data->is_object())
                        m.data->as_object().erase("p");
                auto const ex = next_exchange++;
                open[ex] = {n_clients, 0, false, now};
                srv.receive(ex, std::move(*batch), now);
                route();
            }
            break;
        }
        case 11:
        {
            // a SmartREST real-time body from a hostile peer, with a real session id now and then
            auto body = std::string(in.bytes(arg));
            if(auto const pos = body.find("$ID"); pos != std::string::npos)
                body.replace(pos, 3, clients[arg % n_clients].client_id());
            auto const ex = next_exchange++;
            open[ex] = {n_clients, 0, false, now};
            bridge.receive(ex, arg % 2 ? "x" : "y", body, now);
            route();
            break;
        }
        default: srv.close(clients[arg % n_clients].client_id(), now); route(); break;
        }
        pump();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    harness h;
    input in{data, size};
    for(int i = 0; i < 200 && !in.empty(); ++i)
        h.step(in);
    // Quiet period: every held connect is answered by its hold time.
    h.lose_next_reply = h.lose_next_request = false;
    h.advance(1min);
    for(auto const& [ex, f] : h.open)
        check(h.now - f.since < h.opts.max_client_timeout + h.opts.timeout); // only connects held right now
    return 0;
}
