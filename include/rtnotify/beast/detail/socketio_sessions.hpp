// rtnotify/beast/detail/socketio_sessions.hpp: the server's Socket.IO sessions, by exchange and by sid, with their transports and heartbeat deadlines.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_SOCKETIO_SESSIONS_HPP
#define RTNOTIFY_BEAST_DETAIL_SOCKETIO_SESSIONS_HPP

#include <rtnotify/detail/string_hash.hpp>
#include <rtnotify/session/server_action.hpp>
#include <rtnotify/socketio/socket.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtnotify::beast::detail {

class connection;

/// One Socket.IO session of the server: its socket and what carries it.
struct socketio_session
{
    socketio::socket sock;
    std::string client;              ///< the peer's address
    std::weak_ptr<connection> ws;    ///< the WebSocket carrying the session, once one does
    std::weak_ptr<connection> poll;  ///< a polling GET held until there is something to send
    connection const* probe = nullptr; ///< a WebSocket that answered the upgrade probe and may take over
    socketio::socket::time_point indexed{}; ///< the deadline it is filed under
};

/** The Socket.IO sessions of a server, found by their exchange (how the Kuzzle
    service knows them) or by their Engine.IO `sid`, and ordered by heartbeat
    deadline so the timer finds the due ones without a scan.
*/
class socketio_sessions
{
public:
    using exchange_id = session::exchange_id;
    using time_point = socketio::socket::time_point;

    /// The number of sessions.
    std::size_t size() const noexcept { return by_ex_.size(); }

    /// The number of sessions of client address `client`.
    std::size_t count_of(std::string const& client) const
    {
        auto it = per_client_.find(client);
        return it == per_client_.end() ? 0 : it->second;
    }

    /// The exchanges of every session.
    std::vector<exchange_id> exchanges() const
    {
        std::vector<exchange_id> out;
        out.reserve(by_ex_.size());
        for(auto const& [ex, s] : by_ex_)
            out.push_back(ex);
        return out;
    }

    /// Files `s` as the session of exchange `ex`.
    socketio_session& add(exchange_id ex, socketio_session s)
    {
        by_sid_.emplace(s.sock.sid(), ex);
        ++per_client_[s.client];
        s.indexed = s.sock.deadline();
        deadlines_.emplace(s.indexed, ex);
        return by_ex_.emplace(ex, std::move(s)).first->second;
    }

    /// The session of exchange `ex`, or null.
    socketio_session* find(exchange_id ex)
    {
        auto it = by_ex_.find(ex);
        return it == by_ex_.end() ? nullptr : &it->second;
    }

    /// The session of exchange `ex`, or null.
    socketio_session const* find(exchange_id ex) const
    {
        auto it = by_ex_.find(ex);
        return it == by_ex_.end() ? nullptr : &it->second;
    }

    /// The exchange of the session whose sid is `sid`, or 0.
    exchange_id find(std::string_view sid) const
    {
        auto it = by_sid_.find(sid);
        return it == by_sid_.end() ? 0 : it->second;
    }

    /// Files `ex` under its socket's deadline again, after the socket ran.
    void refile(exchange_id ex)
    {
        auto* s = find(ex);
        if(!s || s->indexed == s->sock.deadline())
            return;
        deadlines_.erase({s->indexed, ex});
        s->indexed = s->sock.deadline();
        deadlines_.emplace(s->indexed, ex);
    }

    /// Forgets the session of `ex`.
    void erase(exchange_id ex)
    {
        auto it = by_ex_.find(ex);
        if(it == by_ex_.end())
            return;
        deadlines_.erase({it->second.indexed, ex});
        by_sid_.erase(it->second.sock.sid());
        if(auto n = per_client_.find(it->second.client); n != per_client_.end() && --n->second == 0)
            per_client_.erase(n);
        by_ex_.erase(it);
    }

    /// The earliest deadline of any session.
    std::optional<time_point> next_deadline() const
    {
        if(deadlines_.empty())
            return std::nullopt;
        return deadlines_.begin()->first;
    }

    /// A session whose deadline is `now` or earlier, or 0.
    exchange_id due(time_point now) const
    {
        return deadlines_.empty() || deadlines_.begin()->first > now ? 0 : deadlines_.begin()->second;
    }

private:
    std::unordered_map<exchange_id, socketio_session> by_ex_;
    rtnotify::detail::string_map<exchange_id> by_sid_;
    std::set<std::pair<time_point, exchange_id>> deadlines_;
    rtnotify::detail::string_map<std::size_t> per_client_; ///< sessions by client address
};

} // namespace rtnotify::beast::detail

#endif
