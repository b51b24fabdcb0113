// An in-memory network between one session::server and many session::client,
// under a virtual clock, that can lose requests and replies at random; over
// request exchanges (long-polling) or over one socket per client (WebSocket),
// a lost frame taking its socket down with it.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_SESSION_PAIR_HPP
#define RTNOTIFY_TESTS_SESSION_PAIR_HPP

#include <rtnotify/session/client.hpp>
#include <rtnotify/session/server.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <unordered_map>
#include <variant>
#include <vector>

namespace rtnotify_test {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;

struct network
{
    std::unique_ptr<ss::server> srv;
    std::vector<std::unique_ptr<ss::client>> clients;
    std::vector<std::vector<ss::client_event>> events; ///< per client, everything it reported
    std::vector<ss::server_action> server_events;      ///< the server's actions other than `send`
    ss::time_point now{};
    std::mt19937_64 rng{42};
    double lose_request = 0; ///< probability that a request never reaches the server
    double lose_reply = 0;   ///< probability that the server's reply never reaches the client
    /// Each client talks over one socket exchange (WebSocket) instead of a request per batch; a lost
    /// request or reply breaks that socket: the server is told, the client's requests on it fail,
    /// and its next request opens another one.
    bool sockets = false;
    /// Called with each batch the server is about to receive, and the client it comes from.
    std::function<void(std::size_t, std::vector<bx::message> const&)> on_request;

    explicit network(ss::server_options o = {}) : srv(std::make_unique<ss::server>(std::move(o))) {}

    std::size_t add_client(ss::client_options o = {})
    {
        clients.push_back(std::make_unique<ss::client>(std::move(o)));
        events.emplace_back();
        return clients.size() - 1;
    }

    ss::client& client(std::size_t i) { return *clients.at(i); }

    /// Sends every request that is due and routes the replies, until nothing moves.
    void pump()
    {
        for(bool moved = true; moved;)
        {
            moved = false;
            for(std::size_t i = 0; i < clients.size(); ++i)
                while(auto r = clients[i]->next_request(now))
                {
                    moved = true;
                    if(sockets)
                    {
                        send_on_socket(i, std::move(*r));
                        continue;
                    }
                    if(coin(lose_request))
                    {
                        clients[i]->fail(r->id, now);
                        continue;
                    }
                    auto const ex = next_exchange_++;
                    inflight_[ex] = {i, r->id, coin(lose_reply)};
                    if(on_request)
                        on_request(i, r->messages);
                    srv->receive(ex, std::move(r->messages), now);
                    route();
                }
            collect_events();
        }
    }

    /// Moves the clock forward by `d`, firing the timers of the server and the clients on the way.
    void advance(ss::duration d)
    {
        auto const target = now + d;
        while(true)
        {
            auto next = srv->next_deadline();
            for(auto& c : clients)
                if(auto t = c->next_deadline(); t && (!next || *t < *next))
                    next = t;
            if(!next || *next > target)
                break;
            now = std::max(now, *next);
            srv->on_timer(now);
            route();
            for(auto& c : clients)
                c->on_timer(now);
            pump();
        }
        now = target;
        pump();
    }

    /// The application publishes on the server; what it releases is routed at once.
    void publish(std::string channel, bx::json::value data)
    {
        bx::message m;
        m.channel = std::move(channel);
        m.data = std::move(data);
        srv->publish(std::move(m), now);
        route();
        pump();
    }

    /// The server restarts: every session and held connect is gone; open requests fail.
    void restart_server(ss::server_options o = {})
    {
        srv = std::make_unique<ss::server>(std::move(o));
        auto lost = std::exchange(inflight_, {});
        for(auto const& [ex, f] : lost)
            clients[f.client]->fail(f.request, now);
        for(auto const& [ex, c] : std::exchange(socket_client_, {}))
            fail_socket(c);
        pump();
    }

    /// The deliveries client `i` reported so far.
    std::vector<bx::message> deliveries(std::size_t i) const
    {
        std::vector<bx::message> out;
        for(auto const& e : events[i])
            if(auto const* d = std::get_if<ss::delivered>(&e))
                out.push_back(d->message);
        return out;
    }

private:
    struct flight
    {
        std::size_t client = 0;
        std::uint64_t request = 0;
        bool lose = false;
    };

    /// A client's socket: its exchange and the request out on each lane (0: none).
    struct socket
    {
        ss::exchange_id exchange = 0;
        std::uint64_t connect = 0;
        std::uint64_t message = 0;
    };

    bool coin(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < p; }

    void send_on_socket(std::size_t i, ss::client_request r)
    {
        auto& s = sockets_[i];
        if(s.exchange == 0)
        {
            s.exchange = next_exchange_++;
            socket_client_[s.exchange] = i;
        }
        (r.connect_lane ? s.connect : s.message) = r.id;
        if(coin(lose_request))
            return break_socket(i);
        if(on_request)
            on_request(i, r.messages);
        srv->receive(s.exchange, std::move(r.messages), now, ss::exchange_kind::socket);
        route();
    }

    /// Client `i`'s socket breaks: the server loses the exchange, the client its requests on it.
    void break_socket(std::size_t i)
    {
        auto const ex = sockets_[i].exchange;
        socket_client_.erase(ex);
        srv->close_exchange(ex, now);
        fail_socket(i);
        route();
    }

    void fail_socket(std::size_t i)
    {
        auto const s = std::exchange(sockets_[i], {});
        for(auto const id : {s.connect, s.message})
            if(id != 0)
                clients[i]->fail(id, now);
    }

    /// A frame on a socket: a handshake or connect reply ends the connect lane's request, another
    /// reply the message lane's, deliveries alone are a push (request 0), as the Beast client reads them.
    void take_frame(ss::send const& sent)
    {
        auto const it = socket_client_.find(sent.exchange);
        if(it == socket_client_.end())
            return; // a socket that broke meanwhile
        auto const i = it->second;
        if(coin(lose_reply))
            return break_socket(i);
        auto messages = ss::messages_in_order(sent);
        bool connect_reply = false, other_reply = false;
        for(auto const& m : messages)
            if(m.successful)
                (m.channel == "/meta/connect" || m.channel == "/meta/handshake" ? connect_reply : other_reply) = true;
        auto& s = sockets_[i];
        auto const connect_id = connect_reply ? std::exchange(s.connect, 0) : 0;
        auto const message_id = other_reply ? std::exchange(s.message, 0) : 0;
        clients[i]->receive(connect_id ? connect_id : message_id, std::move(messages), now);
        if(connect_id && message_id)
            clients[i]->receive(message_id, {}, now);
    }

    void route()
    {
        for(auto& a : srv->take_actions())
        {
            auto* s = std::get_if<ss::send>(&a);
            if(!s)
            {
                server_events.push_back(std::move(a));
                continue;
            }
            if(sockets)
            {
                take_frame(*s);
                continue;
            }
            auto it = inflight_.find(s->exchange);
            if(it == inflight_.end())
                continue;
            auto const f = it->second;
            inflight_.erase(it);
            if(f.lose)
                clients[f.client]->fail(f.request, now);
            else
                clients[f.client]->receive(f.request, ss::messages_in_order(*s), now);
        }
    }

    void collect_events()
    {
        for(std::size_t i = 0; i < clients.size(); ++i)
            for(auto& e : clients[i]->take_events())
                events[i].push_back(std::move(e));
    }

    std::unordered_map<ss::exchange_id, flight> inflight_;
    std::unordered_map<std::size_t, socket> sockets_;                 ///< by client
    std::unordered_map<ss::exchange_id, std::size_t> socket_client_; ///< the client of each open socket
    ss::exchange_id next_exchange_ = 1;
};

} // namespace rtnotify_test

#endif
