// The MQTT 3.1.1 broker engine: connections, sessions, subscriptions and deliveries, sans I/O.
// SPDX-License-Identifier: BSL-1.0
// One header because connections, sessions, the subscription index and the retained store change together on
// every packet (a CONNECT takes a session over, a close publishes a will, a SUBSCRIBE reads the retained store).
#ifndef RTNOTIFY_MQTT_BROKER_HPP
#define RTNOTIFY_MQTT_BROKER_HPP

#include <rtnotify/mqtt/broker_action.hpp>
#include <rtnotify/mqtt/broker_options.hpp>
#include <rtnotify/mqtt/connection_state.hpp>
#include <rtnotify/mqtt/detail/utf8.hpp>
#include <rtnotify/mqtt/encode.hpp>
#include <rtnotify/mqtt/packet.hpp>
#include <rtnotify/mqtt/topic.hpp>

#include <boost/assert.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::mqtt {

/** The broker side of MQTT 3.1.1 for many connections, sans I/O.

    The transport reads each connection's bytes with an `mqtt::reader` and
    hands the packets in (`receive`), says when a connection opens, fails or
    closes, and calls `on_timer` at `next_timer()`; it carries out the
    actions of `take_actions()` in order. The broker never reads a clock.

    What it does, after the specification:
    - CONNECT within `connect_timeout`, then the keep-alive: a connection
      silent for 1.5 times its keep-alive is closed;
    - sessions by client identifier: `clean_session` false keeps the
      subscriptions and the QoS 1 messages of a client that left (bounded by
      `session_expiry`), and a reconnect sends again, with DUP, what was not
      acknowledged; a second connection with the same identifier takes over;
    - the will of a connection that ends without DISCONNECT is published
      (and reported: `will_published`, for a cluster's other nodes);
    - QoS 0 and 1 out (granted QoS at most `max_qos`), QoS 0, 1 and 2 in;
      each client gets its messages in the order they were published, at
      most `max_inflight` unacknowledged; a full queue drops the message and
      reports it (`message_dropped`);
    - retained messages, sent with RETAIN set to new subscriptions;
    - `may_publish` and `may_subscribe` policies (Kuzzle's MQTT protocol
      restricts topics this way).
*/
class broker
{
public:
    using time_point = std::chrono::steady_clock::time_point;

    explicit broker(broker_options opts = {}) : opts_(std::move(opts)) {}

    /// Connection `c` was accepted at `now`; it must send CONNECT within `connect_timeout`.
    void open(connection_id c, time_point now)
    {
        auto& k = conns_[c];
        set_deadline(c, k, now + opts_.connect_timeout);
    }

    /// Connection `c` sent packet `p` at `now`.
    void receive(connection_id c, packet p, time_point now)
    {
        auto it = conns_.find(c);
        if(it == conns_.end())
            return;
        auto& k = it->second;
        if(k.state == connection_state::awaiting_connect)
        {
            if(auto* con = std::get_if<connect>(&p))
                return on_connect(c, k, std::move(*con), now);
            return end(c, connection_trigger::violation, error::connect_expected, now);
        }
        if(k.keep_alive.count() != 0)
            set_deadline(c, k, now + k.keep_alive);
        auto& s = sessions_.at(k.client_id);
        switch(type_of(p))
        {
        case packet_type::connect:
            return end(c, connection_trigger::violation, error::second_connect, now);
        case packet_type::publish:
            return on_publish(c, s, std::move(std::get<mqtt::publish>(p)), now);
        case packet_type::puback:
            return on_puback(s, std::get<packet_id_only>(p).packet_id);
        case packet_type::pubrel: {
            auto const id = std::get<packet_id_only>(p).packet_id;
            s.unreleased.erase(id);
            return send(c, packet_id_only{packet_type::pubcomp, id});
        }
        case packet_type::subscribe:
            return on_subscribe(c, s, std::get<subscribe>(p));
        case packet_type::unsubscribe:
            return on_unsubscribe(c, s, std::get<unsubscribe>(p));
        case packet_type::pingreq:
            return send(c, header_only{packet_type::pingresp});
        case packet_type::disconnect:
            return end(c, connection_trigger::disconnect, {}, now);
        case packet_type::pubrec:
        case packet_type::pubcomp:
            return; // answers to QoS 2, which this broker never sends: nothing to do
        default:
            return end(c, connection_trigger::violation, error::server_packet, now);
        }
    }

    /** The reader of `c` refused its bytes (`why`, a codec error): the
        connection is closed, and its will published. A CONNECT of an
        unsupported protocol level is first answered with CONNACK code 1.
    */
    void refuse(connection_id c, error_code why, time_point now)
    {
        auto it = conns_.find(c);
        if(it == conns_.end())
            return;
        if(it->second.state == connection_state::awaiting_connect && why == error::unsupported_protocol_level)
            send(c, connack{false, connect_code::unacceptable_protocol_version});
        end(c, connection_trigger::violation, why, now);
    }

    /** The transport of `c` has more unwritten bytes than it wants (`true`),
        or has caught up (`false`). While it is behind, QoS 0 messages for its
        client are dropped (reported, `error::client_behind`: QoS 0 is at most
        once) and QoS 1 messages wait in its queue.
    */
    void set_behind(connection_id c, bool behind)
    {
        auto it = conns_.find(c);
        if(it == conns_.end() || it->second.state != connection_state::connected)
            return;
        auto& s = sessions_.at(it->second.client_id);
        s.behind = behind;
        if(!behind)
            pump(s);
    }

    /// The transport lost `c` (the peer closed, a write failed); a connected client's will is published.
    void closed(connection_id c, time_point now)
    {
        if(conns_.contains(c))
            end(c, connection_trigger::gone, {}, now, false);
    }

    /// Closes what is due at `now`: connections without CONNECT, expired keep-alives, kept sessions past `session_expiry`.
    void on_timer(time_point now)
    {
        while(!deadlines_.empty() && deadlines_.begin()->first <= now)
        {
            auto const c = deadlines_.begin()->second;
            auto const& k = conns_.at(c);
            end(c, connection_trigger::expired,
                k.state == connection_state::awaiting_connect ? error::connect_timeout : error::keep_alive_expired, now);
        }
        while(!expiries_.empty() && expiries_.begin()->first <= now)
        {
            auto const id = expiries_.begin()->second;
            expiries_.erase(expiries_.begin());
            auto const& s = sessions_.at(id);
            for(auto const& f : s.inflight)
                actions_.push_back(message_dropped{id, *f.second.message.topic, error::session_expired});
            for(auto const& q : s.queue)
                actions_.push_back(message_dropped{id, *q.message.topic, error::session_expired});
            remove_session(id);
        }
    }

    /// When `on_timer` next has something to do, if anything.
    std::optional<time_point> next_timer() const
    {
        std::optional<time_point> t;
        if(!deadlines_.empty())
            t = deadlines_.begin()->first;
        if(!expiries_.empty() && (!t || expiries_.begin()->first < *t))
            t = expiries_.begin()->first;
        return t;
    }

    /** Publishes a message of the application's to every matching
        subscription, as a client's publish would be.

        @return empty, or why nothing was published: `error::bad_topic_name`
        (empty, or a wildcard) or `error::bad_utf8` (not UTF-8, or U+0000),
        which a client's PUBLISH could not carry either.
    */
    error_code publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain)
    {
        if(auto const bad = application_topic_error(topic))
            return bad;
        route(shared(topic, payload), std::min<std::uint8_t>(qos, 1), retain);
        return {};
    }

    /** Keeps `payload` as the retained message of `topic`, without sending
        it to anyone, unless a message is retained there already (a node
        reading what its cluster retained while it was away: what it holds
        stays). An empty payload keeps nothing; past `max_retained` or
        `max_retained_bytes` it is dropped (`message_dropped`).
        @return as `publish`.
    */
    error_code retain_if_absent(std::string_view topic, std::string_view payload, std::uint8_t qos)
    {
        if(auto const bad = application_topic_error(topic))
            return bad;
        if(!payload.empty() && !retained_.contains(topic))
            keep_retained(shared(topic, payload), std::min<std::uint8_t>(qos, 1));
        return {};
    }

    /** Sends a message to the client of connection `c` alone, whatever it
        subscribed to (Kuzzle's responses go this way).

        @return false when `c` is not a connected client.
    */
    bool send_to(connection_id c, std::string_view topic, std::string_view payload, std::uint8_t qos)
    {
        auto it = conns_.find(c);
        if(it == conns_.end() || it->second.state != connection_state::connected)
            return false;
        deliver(sessions_.at(it->second.client_id), shared(topic, payload), std::min<std::uint8_t>(qos, opts_.max_qos),
                false);
        return true;
    }

    /// True when the client of connection `c` has a subscription matching `topic`.
    bool subscribed(connection_id c, std::string_view topic) const
    {
        auto it = conns_.find(c);
        if(it == conns_.end() || it->second.state != connection_state::connected)
            return false;
        auto const& subs = sessions_.at(it->second.client_id).subscriptions;
        return std::any_of(subs.begin(), subs.end(), [&](auto const& f) { return topic_matches(f.first, topic); });
    }

    /// The actions since the last call, in the order to carry them out.
    std::vector<broker_action> take_actions() { return std::exchange(actions_, {}); }

    /// Connections open (awaiting CONNECT or connected).
    std::size_t connection_count() const noexcept { return conns_.size(); }

    /// Sessions, connected or kept.
    std::size_t session_count() const noexcept { return sessions_.size(); }

    /// Retained messages.
    std::size_t retained_count() const noexcept { return retained_.size(); }

    /// The weight of every message queued or unacknowledged, as `max_total_queued_bytes` counts it.
    std::size_t queued_bytes() const noexcept { return total_queued_; }

    /// Every session's filters, as `max_total_subscription_bytes` counts them.
    std::size_t subscription_bytes() const noexcept { return subscription_bytes_; }

    broker_options const& options() const noexcept { return opts_; }

private:
    // A message as queues hold it: its topic and payload shared by every recipient.
    struct shared_message
    {
        std::shared_ptr<std::string const> topic;
        std::shared_ptr<std::string const> payload;
        /// Its PUBLISH at QoS 0 without RETAIN, encoded once for every recipient of a fan-out (or null).
        std::shared_ptr<std::string const> qos0_bytes;

        std::size_t bytes() const noexcept { return topic->size() + payload->size(); }

        /// What it counts for in the queue limits.
        std::size_t weight() const noexcept { return bytes() + broker_options::message_overhead; }
    };

    struct pending
    {
        shared_message message;
        std::uint8_t qos = 0;
        bool retain = false;
    };

    struct session
    {
        std::string id; // the client identifier
        std::optional<connection_id> connection;
        bool clean = true;
        std::string user_name;
        std::map<std::string, std::uint8_t, std::less<>> subscriptions; // filter → granted QoS
        std::vector<std::pair<std::uint16_t, pending>> inflight;       // QoS 1 sent, in sending order
        std::deque<pending> queue;
        std::size_t queued_bytes = 0; // the weight of what is queued or in flight
        std::set<std::uint16_t> unreleased; // QoS 2 received, awaiting PUBREL
        std::uint16_t next_id = 1;
        bool behind = false; // its transport has too much unwritten (set_behind)
        std::optional<time_point> expires; // kept with its client away: when it goes (its entry in expiries_)
    };

    // A session in the subscription index (sessions never move: they live in an unordered_map's nodes).
    struct subscriber
    {
        session* target = nullptr;
        std::uint8_t qos = 0;
    };

    struct conn
    {
        connection_state state = connection_state::awaiting_connect;
        std::string client_id;
        std::chrono::milliseconds keep_alive{0}; // one and a half times the client's; 0: none
        std::optional<time_point> deadline;
        std::optional<mqtt::will> will;
    };

    static shared_message shared(std::string_view topic, std::string_view payload)
    {
        return {std::make_shared<std::string const>(topic), std::make_shared<std::string const>(payload), nullptr};
    }

    void move(conn& k, connection_trigger t)
    {
        auto const to = rtnotify::detail::next_state(connection_transitions, k.state, t);
        BOOST_ASSERT(to);
        k.state = to.value_or(connection_state::closed);
    }

    void set_deadline(connection_id c, conn& k, time_point at)
    {
        clear_deadline(c, k);
        k.deadline = at;
        deadlines_.emplace(at, c);
    }

    void clear_deadline(connection_id c, conn& k)
    {
        if(k.deadline)
            deadlines_.erase({*k.deadline, c});
        k.deadline.reset();
    }

    void send(connection_id c, packet const& p)
    {
        auto bytes = std::make_shared<std::string>();
        [[maybe_unused]] auto const ec = encode(p, *bytes);
        BOOST_ASSERT(!ec);
        actions_.push_back(send_bytes{c, std::move(bytes)});
    }

    void on_connect(connection_id c, conn& k, connect&& con, time_point now)
    {
        auto const code = opts_.authenticate ? opts_.authenticate(con, c, now) : connect_code::accepted;
        if(code != connect_code::accepted)
            return refuse_connect(c, code, error::connect_refused, now);
        if(con.client_id.size() > opts_.max_client_id_bytes || (con.client_id.empty() && !con.clean_session))
            return refuse_connect(c, connect_code::identifier_rejected, error::connect_refused, now);
        if(con.client_id.empty())
            con.client_id = unused_client_id(c);
        auto it = sessions_.find(con.client_id);
        if(it != sessions_.end() && it->second.connection)
        {
            auto const old = *it->second.connection;
            end(old, connection_trigger::taken_over, error::taken_over, now);
            it = sessions_.find(con.client_id); // the old connection's end may have removed a clean session
        }
        if(it != sessions_.end() && con.clean_session)
        {
            remove_session(con.client_id);
            it = sessions_.end();
        }
        bool const present = it != sessions_.end();
        if(!present && sessions_.size() >= opts_.max_sessions)
            return refuse_connect(c, connect_code::server_unavailable, error::too_many_sessions, now);
        if(!present)
        {
            it = sessions_.emplace(con.client_id, session{}).first;
            it->second.id = con.client_id;
        }
        auto& s = it->second;
        forget_expiry(s);
        s.connection = c;
        s.behind = false;
        s.clean = con.clean_session;
        s.user_name = con.user_name.value_or("");
        move(k, connection_trigger::accepted);
        k.client_id = con.client_id;
        k.will = std::move(con.will);
        k.keep_alive = std::chrono::milliseconds(std::int64_t(con.keep_alive) * 1500);
        clear_deadline(c, k);
        if(k.keep_alive.count() != 0)
            set_deadline(c, k, now + k.keep_alive);
        send(c, connack{present, connect_code::accepted});
        for(auto const& [id, p] : s.inflight)
            send_publish(c, p, id, true);
        pump(s);
    }

    void refuse_connect(connection_id c, connect_code code, error_code why, time_point now)
    {
        send(c, connack{false, code});
        end(c, connection_trigger::refused, why, now);
    }

    std::string unused_client_id(connection_id c) const
    {
        std::string id = "rtnotify-" + std::to_string(c);
        while(sessions_.contains(id))
            id += '_';
        return id;
    }

    // Ends connection `c`: detaches or removes its session, publishes the will unless the client said DISCONNECT.
    void end(connection_id c, connection_trigger t, error_code why, time_point now, bool close = true)
    {
        auto it = conns_.find(c);
        auto k = std::move(it->second);
        conns_.erase(it);
        clear_deadline(c, k);
        bool const was_connected = k.state == connection_state::connected;
        move(k, t);
        if(close)
            actions_.push_back(close_connection{c, why});
        if(!was_connected)
            return;
        auto& s = sessions_.at(k.client_id);
        s.connection.reset();
        s.unreleased.clear();
        if(s.clean)
            remove_session(k.client_id);
        else
        {
            s.expires = now + opts_.session_expiry;
            expiries_.emplace(*s.expires, k.client_id);
        }
        if(k.will && t != connection_trigger::disconnect)
        {
            route(shared(k.will->topic, k.will->payload), k.will->qos, k.will->retain);
            actions_.push_back(will_published{k.client_id, std::move(*k.will)});
        }
    }

    void remove_session(std::string const& id)
    {
        auto it = sessions_.find(id);
        for(auto const& f : it->second.subscriptions)
        {
            unindex(f.first, id);
            subscription_bytes_ -= f.first.size() + broker_options::subscription_overhead;
        }
        total_queued_ -= it->second.queued_bytes;
        forget_expiry(it->second);
        sessions_.erase(it);
    }

    // The kept session `s` has its client back, or is removed: it no longer expires.
    void forget_expiry(session& s)
    {
        if(s.expires)
            expiries_.erase({*s.expires, s.id});
        s.expires.reset();
    }

    client_view view_of(connection_id c, std::string const& client_id, session const& s) const
    {
        return {c, client_id, s.user_name};
    }

    void on_publish(connection_id c, session& s, mqtt::publish&& p, time_point now)
    {
        auto const& client_id = conns_.at(c).client_id;
        if(opts_.may_publish && !opts_.may_publish(view_of(c, client_id, s), p.topic))
            return end(c, connection_trigger::violation, error::publish_refused, now);
        if(p.qos == 2)
        {
            if(s.unreleased.contains(p.packet_id))
                return send(c, packet_id_only{packet_type::pubrec, p.packet_id}); // sent again: routed already
            if(s.unreleased.size() >= opts_.max_inflight)
                return end(c, connection_trigger::violation, error::too_many_unreleased, now);
            s.unreleased.insert(p.packet_id);
        }
        auto const m = shared(p.topic, p.payload);
        auto const qos = p.qos;
        auto const id = p.packet_id;
        auto const retain = p.retain;
        actions_.push_back(message_received{c, client_id, std::move(p)});
        if(qos == 1)
            send(c, packet_id_only{packet_type::puback, id});
        else if(qos == 2)
            send(c, packet_id_only{packet_type::pubrec, id});
        route(m, std::min<std::uint8_t>(qos, 1), retain);
    }

    void on_puback(session& s, std::uint16_t id)
    {
        auto it = std::find_if(s.inflight.begin(), s.inflight.end(), [&](auto const& f) { return f.first == id; });
        if(it == s.inflight.end())
            return;
        release(s, it->second.message.weight());
        s.inflight.erase(it);
        pump(s);
    }

    void on_subscribe(connection_id c, session& s, subscribe const& sub)
    {
        auto const& client_id = conns_.at(c).client_id;
        suback ack{sub.packet_id, {}};
        std::vector<std::pair<std::string_view, std::uint8_t>> granted;
        for(auto const& t : sub.topics)
        {
            bool const known = s.subscriptions.contains(t.filter);
            auto const weight = t.filter.size() + broker_options::subscription_overhead;
            if((!known && (s.subscriptions.size() >= opts_.max_subscriptions ||
                           subscription_bytes_ + weight > opts_.max_total_subscription_bytes)) ||
               (opts_.may_subscribe && !opts_.may_subscribe(view_of(c, client_id, s), t.filter)))
            {
                ack.codes.push_back(suback_failure);
                continue;
            }
            if(!known)
                subscription_bytes_ += weight;
            auto const q = std::min(t.qos, opts_.max_qos);
            s.subscriptions.insert_or_assign(t.filter, q);
            index(t.filter, s, q);
            ack.codes.push_back(q);
            granted.emplace_back(t.filter, q);
        }
        send(c, ack);
        for(auto const& [filter, q] : granted)
            for(auto const& [topic, r] : retained_)
                if(topic_matches(filter, topic))
                    deliver(s, r.message, std::min(r.qos, q), true);
    }

    void on_unsubscribe(connection_id c, session& s, unsubscribe const& u)
    {
        auto const& client_id = conns_.at(c).client_id;
        for(auto const& f : u.filters)
            if(s.subscriptions.erase(f) != 0)
            {
                unindex(f, client_id);
                subscription_bytes_ -= f.size() + broker_options::subscription_overhead;
            }
        send(c, packet_id_only{packet_type::unsuback, u.packet_id});
    }

    // --- routing

    void index(std::string const& filter, session& s, std::uint8_t qos)
    {
        bool const wild = filter.find_first_of("+#") != std::string::npos;
        (wild ? wildcard_ : exact_)[filter].insert_or_assign(s.id, subscriber{&s, qos});
    }

    void unindex(std::string const& filter, std::string const& client_id)
    {
        auto& table = filter.find_first_of("+#") != std::string::npos ? wildcard_ : exact_;
        if(auto it = table.find(filter); it != table.end())
        {
            it->second.erase(client_id);
            if(it->second.empty())
                table.erase(it);
        }
    }

    // Delivers `m` to every session with a matching filter, once each, at the highest QoS its filters grant.
    void route(shared_message const& m, std::uint8_t qos, bool retain)
    {
        if(retain)
            keep_retained(m, qos);
        std::map<std::string_view, subscriber> to; // by client id: the same order in every run
        auto add = [&](auto const& subscribers) {
            for(auto const& [id, sub] : subscribers)
            {
                auto [it, fresh] = to.emplace(id, sub);
                if(!fresh)
                    it->second.qos = std::max(it->second.qos, sub.qos);
            }
        };
        if(auto it = exact_.find(*m.topic); it != exact_.end())
            add(it->second);
        for(auto const& [filter, subscribers] : wildcard_)
            if(topic_matches(filter, *m.topic))
                add(subscribers);
        auto shared_m = m;
        if(std::any_of(to.begin(), to.end(), [&](auto const& t) { return std::min(qos, t.second.qos) == 0; }))
            shared_m.qos0_bytes = encoded(m, 0, false, false, 0);
        for(auto const& [id, sub] : to)
            deliver(*sub.target, shared_m, std::min(qos, sub.qos), false);
    }

    /// Why `topic` cannot carry a message of the application's (what a client's PUBLISH could not carry), or nothing.
    static error_code application_topic_error(std::string_view topic)
    {
        if(auto const bad = validate_topic_name(topic))
            return bad;
        if(!detail::is_mqtt_utf8(topic))
            return error::bad_utf8;
        return {};
    }

    void keep_retained(shared_message const& m, std::uint8_t qos)
    {
        auto it = retained_.find(*m.topic);
        if(it != retained_.end())
        {
            retained_bytes_ -= it->second.message.bytes();
            retained_.erase(it);
        }
        if(m.payload->empty())
            return; // an empty retained message clears the topic
        if(retained_.size() >= opts_.max_retained || retained_bytes_ + m.bytes() > opts_.max_retained_bytes)
        {
            actions_.push_back(message_dropped{{}, *m.topic, error::queue_full});
            return;
        }
        retained_bytes_ += m.bytes();
        retained_.emplace(*m.topic, pending{m, qos, true});
    }

    // Sends `m` to session `s` now, or queues it behind what waits; a full queue drops it.
    void deliver(session& s, shared_message const& m, std::uint8_t qos, bool retain)
    {
        if(!s.connection && qos == 0)
            return; // QoS 0 messages are not kept for a client that is away
        if(s.behind && qos == 0)
        {
            actions_.push_back(message_dropped{s.id, *m.topic, error::client_behind});
            return;
        }
        auto const w = m.weight();
        if(s.queue.size() >= opts_.max_queued || s.queued_bytes + w > opts_.max_queued_bytes ||
           total_queued_ + w > opts_.max_total_queued_bytes)
        {
            actions_.push_back(message_dropped{s.id, *m.topic, error::queue_full});
            return;
        }
        s.queued_bytes += w;
        total_queued_ += w;
        s.queue.push_back({m, qos, retain});
        pump(s);
    }

    // Sends what the queue holds, in order, while the client is connected and its window has room.
    void pump(session& s)
    {
        while(s.connection && !s.behind && !s.queue.empty())
        {
            auto& p = s.queue.front();
            if(p.qos == 1 && s.inflight.size() >= opts_.max_inflight)
                return;
            if(p.qos == 1)
            {
                auto const id = next_id(s);
                send_publish(*s.connection, p, id, false);
                s.inflight.emplace_back(id, std::move(p)); // counted until its PUBACK
            }
            else
            {
                send_publish(*s.connection, p, 0, false);
                release(s, p.message.weight());
            }
            s.queue.pop_front();
        }
    }

    void release(session& s, std::size_t weight)
    {
        s.queued_bytes -= weight;
        total_queued_ -= weight;
    }

    static std::uint16_t next_id(session& s)
    {
        for(;;)
        {
            auto const id = s.next_id;
            s.next_id = static_cast<std::uint16_t>(id == 0xffff ? 1 : id + 1);
            if(std::none_of(s.inflight.begin(), s.inflight.end(), [&](auto const& f) { return f.first == id; }))
                return id;
        }
    }

    void send_publish(connection_id c, pending const& p, std::uint16_t id, bool dup)
    {
        bool const shareable = p.qos == 0 && !p.retain && p.message.qos0_bytes;
        actions_.push_back(send_bytes{c, shareable ? p.message.qos0_bytes : encoded(p.message, p.qos, p.retain, dup, id)});
    }

    static std::shared_ptr<std::string const> encoded(shared_message const& m, std::uint8_t qos, bool retain, bool dup,
                                                      std::uint16_t id)
    {
        auto bytes = std::make_shared<std::string>();
        [[maybe_unused]] auto const ec = encode_publish(*m.topic, *m.payload, qos, retain, dup, id, *bytes);
        BOOST_ASSERT(!ec);
        return bytes;
    }

    broker_options opts_;
    std::unordered_map<connection_id, conn> conns_;
    std::unordered_map<std::string, session> sessions_;
    std::set<std::pair<time_point, connection_id>> deadlines_;    // connect timeouts and keep-alives
    std::set<std::pair<time_point, std::string>> expiries_;       // kept sessions whose client is away
    std::map<std::string, std::map<std::string, subscriber>, std::less<>> exact_;    // filter → client id → subscriber
    std::map<std::string, std::map<std::string, subscriber>, std::less<>> wildcard_; // the same, filters with + or #
    std::map<std::string, pending, std::less<>> retained_;
    std::size_t retained_bytes_ = 0;
    std::size_t total_queued_ = 0;       // the weight queued or in flight in every session
    std::size_t subscription_bytes_ = 0; // every session's filters, as max_total_subscription_bytes counts them
    std::vector<broker_action> actions_;
};

} // namespace rtnotify::mqtt

#endif
