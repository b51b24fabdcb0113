// The sans-I/O Bayeux client engine.
// SPDX-License-Identifier: BSL-1.0
// One header because the client engine is one class: its options, its events and the engine are read together;
// its state table is in client_state.hpp.
#ifndef RTNOTIFY_SESSION_CLIENT_HPP
#define RTNOTIFY_SESSION_CLIENT_HPP

#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/bayeux/validate.hpp>
#include <rtnotify/session/ack.hpp>
#include <rtnotify/session/client_state.hpp>
#include <rtnotify/session/clock.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::session {

/// Settings of `session::client`.
struct client_options
{
    /// Connection types offered in the handshake, in order of preference.
    std::vector<std::string> connection_types{"long-polling"};
    duration backoff_increment{1000}; ///< added to the wait after each failure
    duration max_backoff{60000};      ///< the wait never grows beyond this
    duration max_network_delay{10000}; ///< a request unanswered this long after it was due has failed
    duration max_advice{86400000};     ///< an advised timeout or interval above this is taken as this
    bool ack = true;                  ///< ask for the acknowledgement extension
    bayeux::json::object handshake_ext; ///< members added to the handshake's `ext` (e.g. credentials)
};

/// A batch of messages the client wants sent; `id` is passed back with the response.
struct client_request
{
    std::uint64_t id = 0;
    std::vector<bayeux::message> messages;
    bool connect_lane = false; ///< handshake or connect: the long-held lane
};

/// A message arrived on a subscribed channel.
struct delivered
{
    bayeux::message message;
};

/** A reply to something the client sent: handshake, connect, subscribe,
    unsubscribe, disconnect or publish, with its outcome.
*/
struct replied
{
    bayeux::message reply;
};

/// The state changed.
struct state_changed
{
    client_state state = client_state::unconnected;
};

/// The server dropped `dropped` deliveries for this client (its queue overflowed).
struct deliveries_lost
{
    std::uint64_t dropped = 0;
};

/// A publish could not be sent (transport failure); it may or may not have reached the server.
struct publish_failed
{
    bayeux::message message;
};

/// What the client tells its application.
using client_event = std::variant<delivered, replied, state_changed, deliveries_lost, publish_failed>;

/** The Bayeux client engine.

    Sans-I/O: the application calls `handshake`, `subscribe`, `publish`,
    ...; the transport loops on `next_request(now)` and sends each batch
    (on the connect lane, or the other one: at most one outstanding request
    on each), then hands the response to `receive` or reports `fail`.
    `take_events` returns deliveries, replies and state changes in order.

    The client obeys advice (`retry` after `interval`, `handshake`, `none`),
    backs off by `backoff_increment` up to `max_backoff` after failures
    (of the connect loop, and separately of the other requests),
    subscribes again after every new handshake, and, with the
    acknowledgement extension, acknowledges batches and ignores a batch sent
    twice.
*/
class client
{
public:
    explicit client(client_options opts = {}) : opts_(std::move(opts)) {}

    /// Starts (or restarts) the session: a handshake is due now.
    void handshake(time_point now) { move(client_trigger::start, now); }

    /// Subscribes to a channel or pattern, now and after every new handshake.
    void subscribe(std::string channel)
    {
        if(subscriptions_.insert(channel).second)
            outbox_.push_back(meta("/meta/subscribe", std::move(channel)));
    }

    /// Unsubscribes.
    void unsubscribe(std::string channel)
    {
        if(subscriptions_.erase(channel) != 0)
            outbox_.push_back(meta("/meta/unsubscribe", std::move(channel)));
    }

    /// Publishes `data` on `channel`; the acknowledgement comes as a `replied` event with the returned id.
    std::string publish(std::string channel, bayeux::json::value data)
    {
        bayeux::message m;
        m.channel = std::move(channel);
        m.data = std::move(data);
        auto id = next_id();
        m.id = bayeux::json::value(id);
        outbox_.push_back(std::move(m));
        return id;
    }

    /// Ends the session: a disconnect is sent after what is queued.
    void disconnect()
    {
        if(has_session(state_))
            outbox_.push_back(meta("/meta/disconnect", {}));
        else
            move(client_trigger::stop);
    }

    /// The next batch to send, if one is due at `now`.
    std::optional<client_request> next_request(time_point now)
    {
        if(!connect_lane_ && connect_due_ && *connect_due_ <= now &&
           (state_ == client_state::handshaking || has_session(state_)))
        {
            client_request r{++request_seq_, {}, true};
            r.messages.push_back(state_ == client_state::handshaking ? make_handshake() : make_connect());
            connect_due_.reset();
            auto const hold = state_ == client_state::handshaking ? duration(0) : server_timeout_;
            connect_lane_ = outstanding{r.id, now + hold + opts_.max_network_delay, {}};
            return r;
        }
        if(!message_lane_ && has_session(state_) && !outbox_.empty() && (!message_due_ || *message_due_ <= now))
        {
            message_due_.reset();
            client_request r{++request_seq_, std::move(outbox_), false};
            outbox_.clear();
            for(auto& m : r.messages)
                m.client_id = client_id_;
            message_lane_ = outstanding{r.id, now + opts_.max_network_delay, r.messages};
            return r;
        }
        return std::nullopt;
    }

    /** The response to request `id`, or (with `id` 0) messages pushed by the server.

        A late response to a request already given up is still read for its
        deliveries and replies, but no longer steers the connect loop.
    */
    void receive(std::uint64_t id, std::vector<bayeux::message> messages, time_point now)
    {
        bool const current_connect = connect_lane_ && connect_lane_->id == id;
        if(current_connect)
            connect_lane_.reset();
        if(message_lane_ && message_lane_->id == id)
        {
            message_lane_.reset();
            message_backoff_ = duration(0);
        }
        bool skip_deliveries = false;
        for(auto const& m : messages)
            if(m.channel == "/meta/connect" && ack_)
                if(auto const b = ext_uint(m, ack_key))
                {
                    skip_deliveries = *b <= last_batch_;
                    last_batch_ = std::max(last_batch_, *b);
                }
        for(auto& m : messages)
        {
            if(!m.successful)
            {
                if(!skip_deliveries && m.data)
                    events_.emplace_back(delivered{std::move(m)});
                continue;
            }
            auto const kind = bayeux::kind_of(m.channel);
            if(kind == bayeux::message_kind::handshake && current_connect)
                on_handshake_reply(m, now);
            else if(kind == bayeux::message_kind::connect && current_connect)
                on_connect_reply(m, now);
            else if(kind == bayeux::message_kind::disconnect && *m.successful)
                move(client_trigger::stop);
            else if(!*m.successful && m.advice && m.advice->reconnect == "handshake" &&
                    state_ != client_state::handshaking && state_ != client_state::disconnected)
                rehandshake(now);
            events_.emplace_back(replied{std::move(m)});
        }
    }

    /// The transport failed to deliver request `id` or its response.
    void fail(std::uint64_t id, time_point now)
    {
        if(connect_lane_ && connect_lane_->id == id)
        {
            connect_lane_.reset();
            back_off(now);
        }
        if(message_lane_ && message_lane_->id == id)
        {
            // Subscriptions are idempotent: send again those the application
            // still wants, ahead of what was queued since. A publish may have
            // arrived: tell the application instead of guessing.
            std::vector<bayeux::message> again;
            for(auto& m : message_lane_->sent)
            {
                auto const kind = bayeux::kind_of(m.channel);
                auto const wanted = [&] { return subscriptions_.contains(m.subscription->front()); };
                if(kind == bayeux::message_kind::publish)
                    events_.emplace_back(publish_failed{std::move(m)});
                else if((kind == bayeux::message_kind::subscribe && wanted()) ||
                        (kind == bayeux::message_kind::unsubscribe && !wanted()) ||
                        kind == bayeux::message_kind::disconnect)
                    again.push_back(std::move(m));
            }
            outbox_.insert(outbox_.begin(), std::make_move_iterator(again.begin()),
                           std::make_move_iterator(again.end()));
            message_lane_.reset();
            // a transport that fails at once (no descriptor, a refused connection) must not be retried in a loop
            message_backoff_ = std::min(message_backoff_ + opts_.backoff_increment, opts_.max_backoff);
            message_due_ = now + message_backoff_;
        }
    }

    /** When `on_timer` or `next_request` must next be called, if ever.

        A handshake or connect that is due while the connect lane is busy is
        not a deadline: it is sent when the outstanding request ends.
    */
    std::optional<time_point> next_deadline() const
    {
        bool const can_send = state_ == client_state::handshaking || has_session(state_);
        std::optional<time_point> t;
        if(!connect_lane_ && can_send)
            t = connect_due_;
        auto earliest = [&](std::optional<outstanding> const& o) {
            if(o && (!t || o->deadline < *t))
                t = o->deadline;
        };
        earliest(connect_lane_);
        earliest(message_lane_);
        if(message_due_ && !message_lane_ && has_session(state_) && !outbox_.empty() && (!t || *message_due_ < *t))
            t = message_due_;
        return t;
    }

    /// Gives up on requests unanswered past their deadline (`next_request` sends what is due).
    void on_timer(time_point now)
    {
        if(connect_lane_ && connect_lane_->deadline <= now)
            fail(connect_lane_->id, now);
        if(message_lane_ && message_lane_->deadline <= now)
            fail(message_lane_->id, now);
    }

    /// Takes the events produced so far, in order.
    std::vector<client_event> take_events() { return std::exchange(events_, {}); }

    client_state state() const noexcept { return state_; }

    /// The session id; empty before a successful handshake.
    std::string const& client_id() const noexcept { return client_id_; }

    /// True when the server granted the acknowledgement extension.
    bool acknowledging() const noexcept { return ack_; }

    /// The wait added after the last failure.
    duration backoff() const noexcept { return backoff_; }

private:
    struct outstanding
    {
        std::uint64_t id = 0;
        time_point deadline;
        std::vector<bayeux::message> sent;
    };

    std::string next_id() { return std::to_string(++message_seq_); }

    bayeux::message meta(std::string channel, std::string subscription)
    {
        bayeux::message m;
        m.channel = std::move(channel);
        m.id = bayeux::json::value(next_id());
        if(!subscription.empty())
            m.subscription.emplace(1, std::move(subscription));
        return m;
    }

    bayeux::message make_handshake()
    {
        auto m = meta("/meta/handshake", {});
        m.version = "1.0";
        m.minimum_version = "1.0";
        m.supported_connection_types = opts_.connection_types;
        if(opts_.ack || !opts_.handshake_ext.empty())
        {
            m.ext = opts_.handshake_ext;
            if(opts_.ack)
                set_ext(m, ack_key, true);
        }
        return m;
    }

    bayeux::message make_connect()
    {
        auto m = meta("/meta/connect", {});
        m.client_id = client_id_;
        m.connection_type = connection_type_;
        if(ack_)
            set_ext(m, ack_key, last_batch_);
        return m;
    }

    /** Fires `trigger` (`client_transitions`): the one place the state
        changes. Entering `handshaking` forgets the session and makes the
        handshake due at `due`; entering `disconnected` cancels what was due.
        A change of state is reported as `state_changed`.
        @return false, changing nothing, when the table has no such row.
    */
    bool move(client_trigger trigger, std::optional<time_point> due = std::nullopt)
    {
        auto const to = next_client_state(state_, trigger);
        if(!to)
            return false;
        if(*to == client_state::handshaking)
        {
            client_id_.clear();
            connect_due_ = due;
        }
        else if(*to == client_state::disconnected)
            connect_due_.reset();
        if(*to != state_)
        {
            state_ = *to;
            events_.emplace_back(state_changed{state_});
        }
        return true;
    }

    void back_off(time_point now)
    {
        if(state_ == client_state::disconnected || state_ == client_state::unconnected)
            return;
        backoff_ = std::min(backoff_ + opts_.backoff_increment, opts_.max_backoff);
        connect_due_ = now + interval_ + backoff_;
    }

    void rehandshake(time_point now)
    {
        if(std::any_of(outbox_.begin(), outbox_.end(),
                       [](bayeux::message const& m) { return m.channel == "/meta/disconnect"; }))
        {
            move(client_trigger::stop); // the application asked to leave: do not come back
            return;
        }
        if(!move(client_trigger::rehandshake, now + interval_))
            return;
        // Messages queued for the old session would be refused: subscriptions
        // are sent again after the handshake; publishes wait for the new session.
        std::erase_if(outbox_, [](bayeux::message const& m) { return bayeux::is_meta(m.channel); });
    }

    void apply_advice(bayeux::message const& m)
    {
        if(!m.advice)
            return;
        auto const bounded = [&](std::int64_t ms) {
            return duration(std::clamp<std::int64_t>(ms, 0, std::max<std::int64_t>(0, opts_.max_advice.count())));
        };
        if(m.advice->interval)
            interval_ = bounded(*m.advice->interval);
        if(m.advice->timeout)
            server_timeout_ = bounded(*m.advice->timeout);
    }

    /// What to do after a handshake or connect reply, by its advice and outcome.
    void follow(bayeux::message const& m, time_point now)
    {
        apply_advice(m);
        auto const policy = m.advice ? m.advice->policy() : std::nullopt;
        if(policy == bayeux::reconnect::none)
            move(client_trigger::stop);
        else if(policy == bayeux::reconnect::handshake)
            rehandshake(now);
        else if(*m.successful)
        {
            backoff_ = duration(0);
            connect_due_ = now + interval_;
        }
        else
            back_off(now);
    }

    void on_handshake_reply(bayeux::message const& m, time_point now)
    {
        if(*m.successful && m.client_id && move(client_trigger::handshake_accepted))
        {
            client_id_ = *m.client_id;
            ack_ = opts_.ack && ext_true(m, ack_key);
            last_batch_ = 0;
            connection_type_ = opts_.connection_types.front();
            if(m.supported_connection_types)
                for(auto const& t : opts_.connection_types)
                    if(std::find(m.supported_connection_types->begin(), m.supported_connection_types->end(), t) !=
                       m.supported_connection_types->end())
                    {
                        connection_type_ = t;
                        break;
                    }
            std::erase_if(outbox_, [](bayeux::message const& o) {
                return o.channel == "/meta/subscribe" || o.channel == "/meta/unsubscribe";
            });
            std::vector<bayeux::message> again;
            for(auto const& ch : subscriptions_)
                again.push_back(meta("/meta/subscribe", ch));
            outbox_.insert(outbox_.begin(), std::make_move_iterator(again.begin()),
                           std::make_move_iterator(again.end()));
        }
        if(*m.successful)
        {
            follow(m, now);
            return;
        }
        apply_advice(m);
        if(m.advice && m.advice->policy() == bayeux::reconnect::none)
            move(client_trigger::stop);
        else
            back_off(now); // a refused handshake is tried again, more slowly each time
    }

    void on_connect_reply(bayeux::message const& m, time_point now)
    {
        if(auto const lost = ext_uint(m, overflow_key))
            events_.emplace_back(deliveries_lost{*lost});
        if(*m.successful)
            move(client_trigger::connect_accepted);
        follow(m, now);
    }

    client_options opts_;
    client_state state_ = client_state::unconnected;
    std::string client_id_;
    std::string connection_type_;
    bool ack_ = false;
    std::uint64_t last_batch_ = 0;
    std::set<std::string> subscriptions_;
    std::vector<bayeux::message> outbox_;
    std::optional<time_point> connect_due_;
    std::optional<outstanding> connect_lane_;
    std::optional<outstanding> message_lane_;
    std::optional<time_point> message_due_; ///< after a failure, the message lane waits until then
    duration message_backoff_{0};           ///< that wait: grows with each failure in a row, up to max_backoff
    duration interval_{0};
    duration server_timeout_{30000};
    duration backoff_{0};
    std::uint64_t request_seq_ = 0;
    std::uint64_t message_seq_ = 0;
    std::vector<client_event> events_;
};

} // namespace rtnotify::session

#endif
