// The sans-I/O Bayeux server engine: sessions, subscriptions, queues and held connects.
// SPDX-License-Identifier: BSL-1.0
// One header because the engine is one class over tables every operation touches together (sessions,
// the channel index, queues, held connects, timers); its state table, options and actions have headers of their own.
#ifndef RTNOTIFY_SESSION_SERVER_HPP
#define RTNOTIFY_SESSION_SERVER_HPP

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/bayeux/subscription_index.hpp>
#include <rtnotify/bayeux/validate.hpp>
#include <rtnotify/bayeux/version.hpp>
#include <rtnotify/detail/shared_bytes.hpp>
#include <rtnotify/detail/string_hash.hpp>
#include <rtnotify/session/ack.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/server_action.hpp>
#include <rtnotify/session/server_options.hpp>
#include <rtnotify/session/session_state.hpp>
#include <rtnotify/session/timesync.hpp>

#include <boost/assert.hpp>
#include <boost/container/devector.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace rtnotify::session {

/** The Bayeux server engine: sessions, subscriptions, queues, held connects.

    Sans-I/O: the transport hands in batches of messages with the current
    time and an exchange id (`receive`), and takes out what to send and what
    happened (`take_actions`). Timers are the caller's job: sleep until
    `next_deadline()`, then call `on_timer`. Nothing here reads a clock,
    touches a socket or starts a thread; every call runs in time proportional
    to its input and the deliveries it makes.

    Behaviour, in short (the details and the choices are in docs/session.md):
    - a handshake negotiates the version and the connection types (only the
      shared ones are listed in the reply) and creates a session with a
      random id;
    - the first connect is answered at once; a later connect that is alone
      in its batch is held until a delivery, the hold time, a disconnect or
      another connect (which completes it with a definite reply); an
      exchange (a WebSocket) holds one connect at most, so a connect held
      there by another session is answered first;
    - deliveries go out on connect replies, `max_batch` at a time, or are
      pushed at once for push connection types (WebSocket) unless the
      session uses the acknowledgement extension; a client that
      publishes over HTTP while its connect is held gets what it has queued
      on the publish's reply instead of having the connect woken (as the
      spec prefers), unless it uses the acknowledgement extension;
    - with a wall clock in the options, handshakes and connects carrying
      CometD's timesync extension get its reply (session/timesync.hpp);
    - with the acknowledgement extension a batch stays queued until the
      client acknowledges it, and is sent again otherwise;
    - a full queue applies `overflow_policy` and reports it to the
      application (`overflowed`) and to the client (`ext` of the next
      connect reply);
    - a session whose handshake came on a socket is bound to it: while that
      socket is open, a message naming the session on any other exchange is
      answered `402::Unknown client`, and the session is untouched. Once the
      socket closes, the next socket that connects takes it over (a client
      reconnecting). A session started over HTTP is bound to the first
      browser id (the transport's `BAYEUX_BROWSER` cookie) one of its
      requests carries, the handshake or a later one (the handshake's
      response is what gives a new client its cookie); from then on it
      accepts messages only with that browser id, and answers any other
      `402::Unknown client` the same way. A client that carries no cookie
      (cross-origin without credentials, or no cookie support) is never
      bound: its client id is a bearer secret, whoever knows it may act as
      the session.
*/
class server
{
public:
    /// The longest browser id (`receive`) a session is bound to; a longer one binds nothing.
    static constexpr std::size_t max_browser_id_bytes = 64;

    /// The one member of a publish's `ext` its deliveries keep: CometD's
    /// binary extension, which tells a receiving client that `data.data` is
    /// Z85 text to decode into bytes.
    static constexpr std::string_view binary_key = "binary";

    /// A server with `opts`; throws `std::invalid_argument` when a setting is out of range (`check_settings`).
    explicit server(server_options opts = {}) : opts_(std::move(opts)) { throw_if_invalid(check_settings(opts_)); }

    /// Its sessions leave `owner_counts`, which other engines may go on using.
    ~server()
    {
        for(auto const& [h, s] : sessions_)
            if(!s.owner.empty())
                owners_->remove(s.owner);
    }

    server(server const&) = delete;
    server& operator=(server const&) = delete;

    /** Processes one batch of messages from a client.

        The replies are sent as one `send` action for `exchange`, except for
        a connect alone in its batch that is held: its reply comes later. A
        batch with a handshake has its other messages refused, as the spec
        asks. Deliveries are pushed only on a `socket` exchange: a connect
        that names a push connection type (`websocket`) on a `request` is
        held and answered as long-polling, so nothing is pushed to a request
        that cannot carry it.

        `owner` says who is behind the exchange (the transport puts the
        client's address): sessions are counted per owner up to
        `max_sessions_per_owner`. Empty: not counted. `browser` is the
        browser id the batch carries (the transport's `BAYEUX_BROWSER`
        cookie; empty: none); the session of a request is bound to the
        first one of at most `max_browser_id_bytes` it sees. `authorization`
        is the HTTP `Authorization` header the exchange carries (empty: none),
        for `security_policy::authenticate`.
    */
    void receive(exchange_id exchange, std::vector<bayeux::message> batch, time_point now,
                 exchange_kind carrier = exchange_kind::request, std::string_view owner = {},
                 std::string_view browser = {}, std::string_view authorization = {})
    {
        outbox out;
        std::string reply_client; // the session the replies concern, for outgoing extensions
        bool held = false;
        bool const alone = batch.size() == 1;
        bool const has_handshake = std::any_of(batch.begin(), batch.end(), [](bayeux::message const& m) {
            return m.channel == "/meta/handshake";
        });
        bool handshake_done = false;
        // the one session whose publishes this batch carried: it may get its deliveries on this reply
        std::optional<std::string> publisher;
        bool publishers_differ = false;
        for(auto& m : batch)
        {
            if(m.client_id)
                reply_client = *m.client_id;
            if(has_handshake && (m.channel != "/meta/handshake" || handshake_done))
            {
                out.replies.push_back(failure(m, {400, {}, "Message batched with a handshake is ignored"}));
                continue;
            }
            if(!run_incoming(m))
            {
                out.replies.push_back(failure(m, {404, {}, "message_deleted"}));
                continue;
            }
            auto const kind = bayeux::kind_of(m.channel);
            if(auto e = bayeux::validate_request(m, opts_.allow_non_strict_channels))
            {
                auto r = failure(m, std::move(*e));
                if(kind == bayeux::message_kind::handshake)
                    r.advice = make_advice("none");
                else if(kind == bayeux::message_kind::connect)
                    r.advice = make_advice("handshake");
                out.replies.push_back(std::move(r));
                continue;
            }
            if(names_long_channel(m))
            {
                out.replies.push_back(failure(m, {400, {}, "Channel name too long"}));
                continue;
            }
            if(kind != bayeux::message_kind::handshake && !admit_sender(exchange, carrier, browser, m))
            {
                out.replies.push_back(unknown_client(m)); // as if it did not exist: the id alone proves nothing
                continue;
            }
            switch(kind)
            {
            case bayeux::message_kind::handshake:
                handshake_done = true;
                out.replies.push_back(on_handshake(exchange, carrier, {authorization, owner}, browser, m, now));
                if(auto const t = timesync_of(m))
                    write_timesync(out.replies.back(), *t, opts_.wall_clock_ms());
                if(out.replies.back().client_id)
                    reply_client = *out.replies.back().client_id;
                break;
            case bayeux::message_kind::connect: held = on_connect(exchange, carrier, m, alone, now, out); break;
            case bayeux::message_kind::subscribe: out.replies.push_back(on_subscribe(m)); break;
            case bayeux::message_kind::unsubscribe: out.replies.push_back(on_unsubscribe(m)); break;
            case bayeux::message_kind::disconnect: out.replies.push_back(on_disconnect(m, now)); break;
            case bayeux::message_kind::publish:
                out.replies.push_back(on_publish(m, now));
                if(m.client_id && publisher && *publisher != *m.client_id)
                    publishers_differ = true;
                else if(m.client_id)
                    publisher = *m.client_id;
                break;
            case bayeux::message_kind::unknown_meta: break; // validate_request refused it
            }
        }
        if(!held)
        {
            // the admitted publisher's own deliveries only, and only on a reply that concerns it:
            // never another session's (a batch may name other ids, refused or not)
            if(publisher && !publishers_differ && *publisher == reply_client && carrier == exchange_kind::request)
                deliver_on_reply(reply_client, out);
            emit(exchange, reply_client, std::move(out), false);
        }
        flush(now);
    }

    /** Publishes from the application, as the server.

        Reported as a `published` action, like a client's publish.
        @return the reason when `m` is not a publish to a valid channel name.
    */
    std::optional<bayeux::error_string> publish(bayeux::message m, time_point now)
    {
        return fan_out(std::move(m), true, now);
    }

    /// Publishes a message that another node accepted; not reported as `published`.
    std::optional<bayeux::error_string> publish_remote(bayeux::message m, time_point now)
    {
        return fan_out(std::move(m), false, now);
    }

    /// Queues `m` for one session (e.g. the reply to a `service_request`); false if the session is unknown.
    bool deliver(std::string_view client_id, bayeux::message m, time_point now)
    {
        auto const h = find(client_id);
        if(!h)
            return false;
        enqueue(*h, make_delivery(std::make_shared<bayeux::message const>(delivery_of(std::move(m))), now));
        flush(now);
        return true;
    }

    /// Ends a session from the application; a held connect is told to handshake again.
    bool close(std::string_view client_id, time_point now)
    {
        auto const h = find(client_id);
        if(!h)
            return false;
        remove_session(*h, close_reason::closed, now);
        flush(now);
        return true;
    }

    /** The transport lost `exchange` (a socket closed).

        A connect held on it can no longer be answered: the session's expiry
        starts now. Pushes to it stop; deliveries queue until the next connect.
        Cost: O(sessions pushed to on this exchange), not O(all sessions).
    */
    void close_exchange(exchange_id exchange, time_point now)
    {
        if(auto it = held_.find(exchange); it != held_.end())
        {
            auto const h = it->second;
            move(h, sessions_.at(h), session_trigger::hold_ended, now);
        }
        forget_exchange(pushing_, exchange, &session_record::push_to);
        forget_exchange(bound_, exchange, &session_record::bound);
    }

    /// When `on_timer` must next be called, if ever.
    std::optional<time_point> next_deadline() const
    {
        if(timers_.empty())
            return std::nullopt;
        return timers_.begin()->first;
    }

    /// Releases the held connects and expires the sessions whose time has come.
    void on_timer(time_point now)
    {
        while(!timers_.empty() && timers_.begin()->first <= now)
        {
            auto const h = timers_.begin()->second;
            auto& s = sessions_.at(h);
            if(s.state == session_state::holding)
                release(h, s, "retry", now);
            else
                remove_session(h, close_reason::expired, now);
        }
        flush(now);
    }

    /** Answers every held connect now (advice `retry`), e.g. before a shutdown.

        The sessions stay; their expiry starts now.
    */
    void release_held(time_point now)
    {
        while(!held_.empty())
        {
            auto const h = held_.begin()->second;
            release(h, sessions_.at(h), "retry", now);
        }
        flush(now);
    }

    /// Takes the actions produced so far, in order.
    std::vector<server_action> take_actions() { return std::exchange(actions_, {}); }

    /// Takes the actions produced so far into `out` (cleared first), reusing the capacity of both vectors.
    void take_actions(std::vector<server_action>& out)
    {
        out.clear();
        out.swap(actions_);
    }

    /// Where session `client_id` is in its connect cycle; `closed` when there is no such session.
    session_state state_of(std::string_view client_id) const
    {
        auto const h = find(client_id);
        return h ? sessions_.at(*h).state : session_state::closed;
    }

    /// The number of open sessions.
    std::size_t session_count() const noexcept { return sessions_.size(); }

    /// The number of subscriptions, of every session (a channel counts once per subscriber).
    std::size_t subscription_count() const noexcept { return subscription_count_; }

    /// What every queue holds (queued and unacknowledged) as `max_total_queue_bytes` counts it.
    std::size_t queued_bytes() const noexcept { return queued_texts_.bytes() + queued_entries_ * queue_slot_overhead; }

    /// True when `client_id` names an open session.
    bool has_session(std::string_view client_id) const { return find(client_id).has_value(); }

    /// Deliveries waiting for `client_id` (queued and unacknowledged); 0 for an unknown client.
    std::size_t pending(std::string_view client_id) const
    {
        auto const h = find(client_id);
        if(!h)
            return 0;
        auto const& s = sessions_.at(*h);
        return s.queue.size() + s.unacked.size();
    }

    server_options const& options() const noexcept { return opts_; }

private:
    using handle = std::uint64_t;

    /// What one exchange is sent: the replies, and the deliveries placed among them.
    struct outbox
    {
        std::vector<bayeux::message> replies;
        std::vector<placed_delivery> deliveries;
    };

    struct held_connect
    {
        exchange_id exchange = 0;
        std::optional<bayeux::json::value> id;
        std::optional<timesync_request> timesync; ///< the connect's, answered when it is released
    };

    /// One session; its `state` and `deadline` change in `move` only.
    struct session_record
    {
        std::string id;
        session_state state = initial_session_state;
        bool ack = false;       ///< the acknowledgement extension is on (negotiated by the handshake)
        held_connect held;      ///< in `holding`: the connect held
        std::optional<exchange_id> push_to; ///< set while deliveries are pushed there (a push connection type)
        std::string owner;                 ///< who started it (`receive`'s `owner`), empty if not counted
        std::string principal;             ///< who it belongs to (`security_policy::authenticate`), empty: anonymous
        bool on_socket = false;            ///< the handshake came on a socket
        std::optional<exchange_id> bound;  ///< while set, the only exchange the session accepts messages from
        std::string browser;               ///< if not empty, the only browser id the session accepts messages with
        boost::container::devector<delivery> queue; ///< allocates nothing while empty
        std::size_t queue_bytes = 0;         ///< the `bytes()` of `queue`
        std::vector<delivery> unacked;       ///< batch `batch`, not yet acknowledged
        std::uint64_t batch = 0;             ///< number of the last batch formed
        std::size_t dropped_client = 0;      ///< drops not yet told to the client
        std::size_t dropped_app = 0;         ///< drops not yet told to the application
        std::unordered_set<std::string> subscriptions;
        std::optional<time_point> deadline; ///< its entry in `timers_`: the end of the hold in `holding`, else expiry
    };

    std::optional<handle> find(std::optional<std::string> const& id) const
    {
        return id ? find(std::string_view(*id)) : std::nullopt;
    }

    std::optional<handle> find(std::string_view id) const
    {
        auto it = ids_.find(id);
        if(it == ids_.end())
            return std::nullopt;
        return it->second;
    }

    bool run_incoming(bayeux::message& m)
    {
        std::string_view const id = m.client_id ? std::string_view(*m.client_id) : std::string_view();
        for(auto const& e : opts_.extensions)
            if(e.incoming && !e.incoming(id, m))
                return false;
        return true;
    }

    /** Sends `out` on `exchange` after the outgoing extensions. An extension
        sees its own copy of each delivery (re-encoded after it); without
        extensions a delivery stays shared.
    */
    void emit(exchange_id exchange, std::string_view client_id, outbox out, bool push)
    {
        bool const outgoing = std::any_of(opts_.extensions.begin(), opts_.extensions.end(),
                                          [](extension const& e) { return bool(e.outgoing); });
        if(outgoing)
            run_outgoing(client_id, out);
        actions_.emplace_back(send{exchange, std::move(out.replies), std::move(out.deliveries), push});
    }

    void run_outgoing(std::string_view client_id, outbox& out)
    {
        auto const passes = [&](bayeux::message& m) {
            for(auto const& e : opts_.extensions)
                if(e.outgoing && !e.outgoing(client_id, m))
                    return false;
            return true;
        };
        // kept[i]: how many of the first i replies are kept, where a delivery placed after i now goes
        std::vector<std::size_t> kept(out.replies.size() + 1, 0);
        std::vector<bayeux::message> replies;
        for(std::size_t i = 0; i < out.replies.size(); ++i)
        {
            if(passes(out.replies[i]))
                replies.push_back(std::move(out.replies[i]));
            kept[i + 1] = replies.size();
        }
        std::vector<placed_delivery> deliveries;
        for(auto& p : out.deliveries)
        {
            auto copy = *p.what.message;
            if(passes(copy))
                deliveries.push_back(
                    {make_delivery(std::make_shared<bayeux::message const>(std::move(copy)), p.what.accepted), kept[p.after]});
        }
        out.replies = std::move(replies);
        out.deliveries = std::move(deliveries);
    }

    bayeux::advice make_advice(std::string policy) const
    {
        bayeux::advice a;
        a.reconnect = std::move(policy);
        a.interval = opts_.interval.count();
        if(a.reconnect == "retry")
            a.timeout = opts_.timeout.count();
        return a;
    }

    static bayeux::message reply_to(bayeux::message const& m)
    {
        bayeux::message r;
        r.channel = m.channel;
        r.id = m.id;
        return r;
    }

    static bayeux::message failure(bayeux::message const& m, bayeux::error_string e)
    {
        auto r = reply_to(m);
        r.successful = false;
        r.error = e.to_string();
        if(m.subscription)
        {
            r.subscription = m.subscription;
            r.subscription_is_array = m.subscription_is_array;
        }
        return r;
    }

    bayeux::message unknown_client(bayeux::message const& m) const
    {
        auto r = failure(m, {402, {bayeux::error_arg(m.client_id.value_or(""))}, "Unknown client ID"});
        r.advice = make_advice("handshake");
        return r;
    }

    static bayeux::message success(bayeux::message const& m, std::string const& client_id)
    {
        auto r = reply_to(m);
        r.successful = true;
        r.client_id = client_id;
        return r;
    }

    time_point expiry(time_point now) const { return now + opts_.interval + opts_.max_interval; }

    /** Fires `trigger` at session `h` (`session_transitions`): the one
        place a session's state changes. Entering `holding` holds `held` on
        its exchange until `hold_until`; leaving it lets go of the exchange.
        The deadline follows the new state: the end of the hold, the expiry,
        or none once closed.
    */
    void move(handle h, session_record& s, session_trigger trigger, time_point now,
              std::optional<held_connect> held = std::nullopt, time_point hold_until = {})
    {
        auto const to = next_session_state(s.state, trigger);
        BOOST_ASSERT_MSG(to, "a session transition missing from session_transitions");
        if(!to)
            return;
        if(s.state == session_state::holding)
            held_.erase(s.held.exchange);
        s.state = *to;
        s.held = held ? std::move(*held) : held_connect();
        switch(s.state)
        {
        case session_state::holding:
            held_[s.held.exchange] = h;
            set_deadline(h, s, hold_until);
            break;
        case session_state::handshaken:
        case session_state::connected: set_deadline(h, s, expiry(now)); break;
        case session_state::closed: set_deadline(h, s, std::nullopt); break;
        }
    }

    /// Moves the entry of session `h` in `timers_` to `t` (none: no entry).
    void set_deadline(handle h, session_record& s, std::optional<time_point> t)
    {
        if(s.deadline)
            timers_.erase({*s.deadline, h});
        s.deadline = t;
        if(t)
            timers_.insert({*t, h});
    }

    bayeux::message on_handshake(exchange_id exchange, exchange_kind carrier, handshake_credentials const& from,
                                 std::string_view browser, bayeux::message const& m, time_point now)
    {
        auto const owner = from.owner;
        auto fail = [&](bayeux::error_string e, char const* policy) {
            auto r = failure(m, std::move(e));
            r.supported_connection_types = opts_.connection_types;
            r.advice = make_advice(policy);
            return r;
        };
        if(sessions_.size() >= opts_.max_sessions)
            return fail({500, {}, "Too many sessions"}, "handshake");
        auto const too_many = [&] { return fail({500, {}, "Too many sessions from this address"}, "handshake"); };
        std::string const owned(owner);
        if(!owned.empty() && owners_->count(owned) >= opts_.max_sessions_per_owner)
            return too_many();
        std::optional<std::string> principal{std::in_place};
        if(opts_.policy.authenticate && !(principal = opts_.policy.authenticate(m, from, now)))
            return fail({403, {}, "handshake_denied"}, "none");
        if(!bayeux::valid_version(*m.version) || bayeux::compare_versions(*m.version, "1.0") < 0 ||
           (m.minimum_version && bayeux::compare_versions(*m.minimum_version, "1.0") > 0))
            return fail({300, {bayeux::error_arg(*m.version)}, "Version mismatch"}, "none");
        std::vector<std::string> shared;
        for(auto const& t : opts_.connection_types)
            if(std::find(m.supported_connection_types->begin(), m.supported_connection_types->end(), t) !=
               m.supported_connection_types->end())
                shared.push_back(t);
        if(shared.empty())
        {
            std::vector<std::string> args;
            for(auto const& t : *m.supported_connection_types)
                args.push_back(bayeux::error_arg(t));
            return fail({301, std::move(args), "Connection types not supported"}, "none");
        }
        // checked again as it is counted: another engine of the group may have counted one meanwhile
        if(!owned.empty() && !owners_->try_add(owned, opts_.max_sessions_per_owner))
            return too_many();
        std::string id = opts_.make_client_id();
        while(ids_.contains(id))
            id = opts_.make_client_id();
        auto const h = next_handle_++;
        auto& s = sessions_[h];
        s.id = id;
        s.principal = std::move(*principal);
        s.ack = opts_.ack_extension && ext_true(m, ack_key);
        ids_.emplace(id, h);
        set_deadline(h, s, expiry(now));
        s.on_socket = carrier == exchange_kind::socket;
        s.owner = owned;
        if(s.on_socket)
            bind(h, s, exchange);
        else
            bind_browser(s, browser);

        auto r = success(m, id);
        r.version = "1.0";
        r.minimum_version = "1.0";
        r.supported_connection_types = std::move(shared);
        r.advice = make_advice("retry");
        if(s.ack)
            set_ext(r, ack_key, true);
        return r;
    }

    /// @return true when the connect is held (no reply now).
    bool on_connect(exchange_id exchange, exchange_kind carrier, bayeux::message const& m, bool alone, time_point now,
                    outbox& out)
    {
        auto const h = find(m.client_id);
        if(!h)
        {
            out.replies.push_back(unknown_client(m));
            return false;
        }
        auto& s = sessions_.at(*h);
        auto const& type = *m.connection_type;
        if(std::find(opts_.connection_types.begin(), opts_.connection_types.end(), type) ==
           opts_.connection_types.end())
        {
            auto r = failure(m, {301, {bayeux::error_arg(type)}, "Connection types not supported"});
            r.advice = make_advice("handshake");
            out.replies.push_back(std::move(r));
            return false;
        }
        if(s.on_socket && !s.bound && carrier == exchange_kind::socket)
            bind(*h, s, exchange); // its socket closed: the client reconnected on a new one
        // with the acknowledgement extension, deliveries ride on connect replies on a socket too: a
        // batch lost with its socket is sent again on the next connect
        bool const push = carrier == exchange_kind::socket && !s.ack &&
                          std::find(opts_.push_connection_types.begin(), opts_.push_connection_types.end(), type) !=
                              opts_.push_connection_types.end();
        push_to(*h, s, push ? std::optional(exchange) : std::nullopt);
        if(s.state == session_state::holding)
            release(*h, s, "retry", now); // one outstanding connect: the older one is answered now
        if(s.ack && !s.unacked.empty())
            if(auto const a = ext_uint(m, ack_key); a && *a >= s.batch)
                release_unacked(s);

        auto hold = opts_.timeout;
        if(m.advice && m.advice->timeout)
            hold = std::clamp(duration(*m.advice->timeout), duration(0), opts_.max_client_timeout);
        bool const pending = !s.unacked.empty() || !s.queue.empty() || s.dropped_client != 0;
        bool const immediate = !alone || s.state == session_state::handshaken || hold.count() == 0 || pending;
        auto const timesync = timesync_of(m);
        if(immediate)
        {
            answer_connect(s, m.id, "retry", timesync, out);
            move(*h, s, session_trigger::connect_answered, now);
            return false;
        }
        if(auto it = held_.find(exchange); it != held_.end())
            release(it->second, sessions_.at(it->second), "retry", now); // one held connect per exchange
        move(*h, s, session_trigger::connect_held, now, held_connect{exchange, m.id, timesync}, now + hold);
        return true;
    }

    /// `m`'s timesync request, read when the application gave a wall clock.
    std::optional<timesync_request> timesync_of(bayeux::message const& m) const
    {
        if(!opts_.wall_clock_ms || !m.ext)
            return std::nullopt;
        return read_timesync(m, opts_.wall_clock_ms());
    }

    /// Appends a connect reply for `s` (with the timesync reply to `timesync`) and the deliveries it carries.
    void answer_connect(session_record& s, std::optional<bayeux::json::value> const& id, char const* policy,
                        std::optional<timesync_request> const& timesync, outbox& out)
    {
        bayeux::message r;
        r.channel = "/meta/connect";
        r.id = id;
        r.client_id = s.id;
        r.successful = true;
        r.advice = make_advice(policy);
        if(timesync)
            write_timesync(r, *timesync, opts_.wall_clock_ms());
        out.replies.push_back(std::move(r));
        auto& reply = out.replies.back();
        if(s.ack)
        {
            auto const n = std::min(s.queue.size(), opts_.max_batch);
            if(s.unacked.empty() && n != 0)
            {
                for(std::size_t i = 0; i < n; ++i)
                {
                    s.queue_bytes -= s.queue[i].bytes();
                    s.unacked.push_back(s.queue[i]);
                }
                s.queue.erase(s.queue.begin(), s.queue.begin() + static_cast<std::ptrdiff_t>(n));
                ++s.batch;
            }
            for(auto const& d : s.unacked)
                out.deliveries.push_back({d, out.replies.size()});
            set_ext(reply, ack_key, s.batch);
        }
        else
            take_queued(s, out);
        if(s.dropped_client != 0)
        {
            set_ext(reply, overflow_key, s.dropped_client);
            s.dropped_client = 0;
        }
    }

    /** Moves what `client_id` has queued onto the reply `out` instead of
        waking its held connect: with two of the client's requests at hand,
        Bayeux prefers the response that goes out at once. Not with the
        acknowledgement extension, whose batches ride on connect replies.
    */
    void deliver_on_reply(std::string_view client_id, outbox& out)
    {
        auto const h = find(client_id);
        if(!h)
            return;
        auto& s = sessions_.at(*h);
        if(!s.ack && s.state == session_state::holding)
            take_queued(s, out);
    }

    /// Moves up to `max_batch` queued deliveries of `s` into `out`, after its replies so far.
    void take_queued(session_record& s, outbox& out)
    {
        auto const after = out.replies.size();
        auto const n = std::min(s.queue.size(), opts_.max_batch);
        for(std::size_t i = 0; i < n; ++i)
        {
            s.queue_bytes -= s.queue[i].bytes();
            out.deliveries.push_back({s.queue[i], after});
            unhold(s.queue[i]);
        }
        s.queue.erase(s.queue.begin(), s.queue.begin() + static_cast<std::ptrdiff_t>(n));
    }

    /// Answers the held connect of `s` now.
    void release(handle h, session_record& s, char const* policy, time_point now)
    {
        auto const exchange = s.held.exchange;
        auto const id = std::move(s.held.id);
        auto const timesync = s.held.timesync;
        move(h, s, session_trigger::hold_ended, now);
        outbox out;
        answer_connect(s, id, policy, timesync, out);
        emit(exchange, s.id, std::move(out), false);
    }

    bayeux::message on_subscribe(bayeux::message const& m)
    {
        auto const h = find(m.client_id);
        if(!h)
            return unknown_client(m);
        auto& s = sessions_.at(*h);
        for(auto const& ch : *m.subscription)
        {
            if(bayeux::is_meta(ch))
                return failure(m, {403, {bayeux::error_arg(ch)}, "Forbidden channel"});
            if(bayeux::is_service(ch))
                continue; // replies on /service go to the requester only: nothing to record
            if(opts_.policy.can_subscribe && !opts_.policy.can_subscribe({s.id, s.principal}, ch))
                return failure(m, {403, {bayeux::error_arg(ch)}, "Subscription denied"});
            if(s.subscriptions.contains(ch))
                continue;
            if(s.subscriptions.size() >= opts_.max_subscriptions)
                return failure(m, {403, {bayeux::error_arg(ch)}, "Too many subscriptions"});
            if(subscription_bytes_ + subscription_cost(ch) > opts_.max_total_subscription_bytes)
                return failure(m, {403, {bayeux::error_arg(ch)}, "Too many subscriptions on this server"});
            s.subscriptions.insert(ch);
            index_.add(ch, *h);
            subscription_bytes_ += subscription_cost(ch);
            ++subscription_count_;
        }
        return subscription_success(m, s.id);
    }

    /// What one subscription to `channel` weighs in `max_total_subscription_bytes`.
    static std::size_t subscription_cost(std::string_view channel) noexcept
    {
        return 2 * channel.size() + subscription_overhead;
    }

    /// Whether `m` names a channel or pattern longer than `max_channel_length` (each is stored per session).
    bool names_long_channel(bayeux::message const& m) const
    {
        auto const longer = [&](std::string const& ch) { return ch.size() > opts_.max_channel_length; };
        return longer(m.channel) || (m.subscription && std::any_of(m.subscription->begin(), m.subscription->end(), longer));
    }

    /// The successful reply to a subscribe or unsubscribe: the subscription echoed as it came.
    static bayeux::message subscription_success(bayeux::message const& m, std::string const& client_id)
    {
        auto r = success(m, client_id);
        r.subscription = m.subscription;
        r.subscription_is_array = m.subscription_is_array;
        return r;
    }

    bayeux::message on_unsubscribe(bayeux::message const& m)
    {
        auto const h = find(m.client_id);
        if(!h)
            return unknown_client(m);
        auto& s = sessions_.at(*h);
        for(auto const& ch : *m.subscription)
            if(s.subscriptions.erase(ch) != 0)
            {
                index_.remove(ch, *h);
                subscription_bytes_ -= subscription_cost(ch);
                --subscription_count_;
            }
        return subscription_success(m, s.id);
    }

    bayeux::message on_disconnect(bayeux::message const& m, time_point now)
    {
        auto const h = find(m.client_id);
        if(!h)
            return unknown_client(m);
        auto r = success(m, sessions_.at(*h).id);
        remove_session(*h, close_reason::disconnected, now);
        return r;
    }

    bayeux::message on_publish(bayeux::message const& m, time_point now)
    {
        if(!m.client_id)
            return failure(m, {401, {}, "No client ID"});
        auto const h = find(m.client_id);
        if(!h)
            return unknown_client(m);
        auto const& s = sessions_.at(*h);
        auto const& id = s.id;
        if(opts_.policy.can_publish && !opts_.policy.can_publish({id, s.principal}, m.channel))
            return failure(m, {403, {bayeux::error_arg(m.channel)}, "Publish denied"});
        auto r = success(m, id);
        if(bayeux::is_service(m.channel))
            actions_.emplace_back(service_request{id, std::make_shared<bayeux::message const>(m)});
        else
            fan_out(delivery_of(m), *h, true, now);
        return r;
    }

    /// A delivery: the channel, the data and the publisher's id; never its client id or ext.
    /** What subscribers get of publish `m`: its channel, id and data, and of
        its `ext` only `binary` (CometD's binary extension: it tells the
        receiving client to decode `data.data`); nothing else of the publisher.
    */
    static bayeux::message delivery_of(bayeux::message m)
    {
        bayeux::message d;
        d.channel = std::move(m.channel);
        d.id = std::move(m.id);
        d.data = std::move(m.data);
        if(m.ext)
            if(auto const* binary = m.ext->if_contains(binary_key))
                d.ext = bayeux::json::object{{binary_key, *binary}};
        return d;
    }

    /// Delivers publish `m` to its subscribers (a local or a remote one); reported as `published` when `report`.
    std::optional<bayeux::error_string> fan_out(bayeux::message m, bool report, time_point now)
    {
        auto const c = bayeux::classify(m.channel);
        if(c.validity == bayeux::validity::invalid || c.wildcard != bayeux::wildcard::none ||
           bayeux::is_meta(m.channel) || bayeux::is_service(m.channel))
            return bayeux::error_string{405, {bayeux::error_arg(m.channel)}, "Invalid channel"};
        if(!m.data)
            return bayeux::error_string{402, {"data"}, "Missing required parameter"};
        fan_out(delivery_of(std::move(m)), std::nullopt, report, now);
        flush(now);
        return std::nullopt;
    }

    /// Queues (or pushes) `m` to every subscriber, encoded once and shared by all.
    void fan_out(bayeux::message m, std::optional<handle> publisher, bool report, time_point now)
    {
        auto const d = make_delivery(std::make_shared<bayeux::message const>(std::move(m)), now);
        matched_.clear();
        index_.match(d.message->channel, matched_);
        for(auto const h : matched_)
        {
            if(publisher && h == *publisher && !opts_.broadcast_to_publisher)
                continue;
            if(sessions_.contains(h)) // an overflow may have closed it meanwhile
                enqueue(h, d);
        }
        if(report)
            actions_.emplace_back(published{d.message, d.json});
    }

    /// Pushes `d` to session `h`, or queues it within `max_queue` and `max_queue_bytes` (else `overflow_policy`).
    void enqueue(handle h, delivery const& d)
    {
        auto& s = sessions_.at(h);
        if(s.push_to)
        {
            outbox one;
            one.deliveries.push_back({d, 0});
            emit(*s.push_to, s.id, std::move(one), true);
            return;
        }
        auto const full = [&] {
            return s.queue.size() >= opts_.max_queue || s.queue_bytes + d.bytes() > opts_.max_queue_bytes;
        };
        // its text counts once, when no queue holds it yet; each entry counts too
        auto const cost = queue_slot_overhead + (queued_texts_.held(d.json.get()) ? 0 : d.bytes());
        bool const server_full = queued_bytes() + cost > opts_.max_total_queue_bytes;
        if(server_full || full())
        {
            overflow_.push_back(h);
            auto const drop = [&](std::size_t n) {
                s.dropped_client += n;
                s.dropped_app += n;
            };
            if(opts_.overflow == overflow_policy::close_session)
            {
                drop(1);
                closing_.push_back(h);
                return;
            }
            // dropping this session's oldest cannot make room for a delivery larger than
            // its budget, nor in the server's (the oldest may be queued elsewhere too)
            if(opts_.overflow == overflow_policy::drop_newest || server_full || d.bytes() > opts_.max_queue_bytes)
                return drop(1);
            while(full())
            {
                s.queue_bytes -= s.queue.front().bytes();
                unhold(s.queue.front());
                s.queue.pop_front();
                drop(1);
            }
        }
        s.queue_bytes += d.bytes();
        hold(d);
        s.queue.push_back(d);
        if(s.state == session_state::holding)
            dirty_.push_back(h);
    }

    /// Points the pushes of session `h` at `exchange` (none: queue them), keeping `pushing_` in step.
    void push_to(handle h, session_record& s, std::optional<exchange_id> exchange) { repoint(pushing_, h, s.push_to, exchange); }

    /// The sessions that point at each exchange, for one kind of pointing (`push_to`, `bound`).
    using exchange_index = std::unordered_map<exchange_id, std::unordered_set<handle>>;

    /// Points `current` (a field of session `h`) at `next`, keeping `index` in step.
    static void repoint(exchange_index& index, handle h, std::optional<exchange_id>& current,
                        std::optional<exchange_id> next)
    {
        if(current == next)
            return;
        if(current)
            if(auto it = index.find(*current); it != index.end() && it->second.erase(h) && it->second.empty())
                index.erase(it);
        current = next;
        if(next)
            index[*next].insert(h);
    }

    /// `exchange` is gone: the sessions pointing at it through `field` (indexed by `index`) point nowhere.
    void forget_exchange(exchange_index& index, exchange_id exchange, std::optional<exchange_id> session_record::*field)
    {
        auto it = index.find(exchange);
        if(it == index.end())
            return;
        for(auto const h : it->second)
            (sessions_.at(h).*field).reset();
        index.erase(it);
    }

    /// Counts `d` as held by one more queue (its text counts once, however many queues hold it).
    void hold(delivery const& d)
    {
        queued_texts_.hold(d.json.get());
        ++queued_entries_;
    }

    /// Counts `d` as held by one queue fewer.
    void unhold(delivery const& d)
    {
        queued_texts_.unhold(d.json.get());
        --queued_entries_;
    }

    /// Drops the acknowledged (or abandoned) batch of `s`.
    void release_unacked(session_record& s)
    {
        for(auto const& d : s.unacked)
            unhold(d);
        s.unacked.clear();
    }

    /// Binds session `h` to `exchange` (none: unbinds it), keeping `bound_` in step.
    void bind(handle h, session_record& s, std::optional<exchange_id> exchange) { repoint(bound_, h, s.bound, exchange); }

    /** False when `m` names a session bound to another exchange than
        `exchange`, or to another browser id than `browser`. A session of
        requests not bound to a browser id yet is bound to `browser` when a
        request carries one.
    */
    bool admit_sender(exchange_id exchange, exchange_kind carrier, std::string_view browser, bayeux::message const& m)
    {
        auto const h = find(m.client_id);
        if(!h)
            return true; // unknown: each handler answers that
        auto& s = sessions_.at(*h);
        if(s.bound)
            return *s.bound == exchange;
        if(!s.browser.empty())
            return s.browser == browser;
        if(!s.on_socket && carrier == exchange_kind::request)
            bind_browser(s, browser);
        return true;
    }

    /// Binds session `s` to `browser`, unless it is longer than `max_browser_id_bytes` (empty: binds nothing).
    static void bind_browser(session_record& s, std::string_view browser)
    {
        if(browser.size() <= max_browser_id_bytes)
            s.browser = browser;
    }

    void remove_session(handle h, close_reason why, time_point now)
    {
        auto& s = sessions_.at(h);
        if(s.state == session_state::holding)
            release(h, s, why == close_reason::disconnected ? "none" : "handshake", now);
        for(auto const& ch : s.subscriptions)
        {
            index_.remove(ch, h);
            subscription_bytes_ -= subscription_cost(ch);
            --subscription_count_;
        }
        move(h, s, session_trigger::close, now);
        push_to(h, s, std::nullopt);
        for(auto const& d : s.queue)
            unhold(d);
        release_unacked(s);
        bind(h, s, std::nullopt);
        if(!s.owner.empty())
            owners_->remove(s.owner);
        actions_.emplace_back(session_closed{s.id, why});
        ids_.erase(s.id);
        sessions_.erase(h);
    }

    /// Reports overflows, closes overflowed sessions, releases held connects that have deliveries.
    void flush(time_point now)
    {
        for(auto const h : overflow_)
        {
            auto it = sessions_.find(h);
            if(it != sessions_.end() && it->second.dropped_app != 0)
            {
                actions_.emplace_back(overflowed{it->second.id, it->second.dropped_app});
                it->second.dropped_app = 0;
            }
        }
        overflow_.clear();
        for(auto const h : closing_)
            if(sessions_.contains(h))
                remove_session(h, close_reason::overflow, now);
        closing_.clear();
        for(auto const h : dirty_)
        {
            auto it = sessions_.find(h);
            if(it != sessions_.end() && it->second.state == session_state::holding && !it->second.queue.empty())
                release(h, it->second, "retry", now);
        }
        dirty_.clear();
    }

    server_options opts_;
    std::unordered_map<handle, session_record> sessions_;
    std::unordered_map<std::string, handle, rtnotify::detail::string_hash, std::equal_to<>> ids_;
    /// Sessions per owner: the group's (`owner_counts`), or the engine's own.
    std::shared_ptr<address_counts> owners_ = shared_or_own(opts_.owner_counts);
    std::unordered_map<exchange_id, handle> held_;
    exchange_index pushing_; ///< the sessions pushed to on each exchange
    exchange_index bound_;   ///< the sessions bound to each exchange
    rtnotify::detail::shared_bytes queued_texts_; ///< the texts of queued deliveries, each once
    std::size_t queued_entries_ = 0;              ///< queue entries (queued and unacknowledged), each delivery per queue
    std::size_t subscription_bytes_ = 0; ///< `subscription_cost` of every subscription
    std::size_t subscription_count_ = 0; ///< subscriptions of every session
    std::set<std::pair<time_point, handle>> timers_;
    bayeux::subscription_index<handle> index_;
    std::vector<server_action> actions_;
    std::vector<handle> matched_;
    std::vector<handle> dirty_;
    std::vector<handle> overflow_;
    std::vector<handle> closing_;
    handle next_handle_ = 1;
};

} // namespace rtnotify::session

#endif
