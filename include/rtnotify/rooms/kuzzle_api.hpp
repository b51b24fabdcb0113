// Kuzzle's realtime API over any text transport: requests in, responses and notifications out.
// SPDX-License-Identifier: BSL-1.0
// One header because the request envelope and the realtime controller share the rooms, the
// subscriptions of each connection and the texts going out (documents: document_controller.hpp).
#ifndef RTNOTIFY_ROOMS_KUZZLE_API_HPP
#define RTNOTIFY_ROOMS_KUZZLE_API_HPP

#include <rtnotify/detail/json_numbers.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/outgoing_text.hpp>
#include <rtnotify/rooms/api_failure.hpp>
#include <rtnotify/rooms/auth_controller.hpp>
#include <rtnotify/rooms/detail/request_args.hpp>
#include <rtnotify/rooms/document_controller.hpp>
#include <rtnotify/rooms/http_routes.hpp>
#include <rtnotify/rooms/notification.hpp>
#include <rtnotify/rooms/presence_json.hpp>
#include <rtnotify/rooms/remote_counts.hpp>
#include <rtnotify/rooms/room_registry.hpp>
#include <rtnotify/rooms/server_controller.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

/// Limits and names of `kuzzle_api`; the defaults are safe for input from the network.
struct kuzzle_api_options
{
    filter_options filters;                      ///< conditions and depth per filter
    std::size_t max_rooms = 1000000;             ///< rooms in all (Kuzzle's `subscriptionRooms`)
    std::size_t max_subscriptions = 1000;        ///< rooms per connection
    std::size_t max_total_subscriptions = 200000; ///< rooms of every connection together; beyond: 503
    std::size_t max_filter_bytes = 16 * 1024;    ///< one filter, as JSON text; beyond: 413
    /// The filters of every room together, each room counted as its index,
    /// collection and filter text plus `room_registry::room_overhead`; beyond: 503.
    std::size_t max_rooms_bytes = std::size_t(64) << 20;
    std::size_t max_documents = 100000;          ///< documents in the in-memory store
    std::size_t max_document_bytes = 64 * 1024;  ///< one stored document, as JSON text; beyond: 413
    std::size_t max_store_bytes = std::size_t(64) << 20; ///< every stored document together; beyond: 503
    std::size_t max_documents_per_write = 200;   ///< of an m* request or a deleteByQuery; beyond: 400
    std::size_t max_documents_per_fetch = 10000; ///< `from` + `size` of a search; beyond: 400
    std::size_t max_search_bytes = std::size_t(8) << 20; ///< the documents of one search result; beyond: 413
    /// Kuzzle 1's "a document is about to be created / deleted" notifications, to
    /// subscriptions with `state` "pending" or "all" (off: Kuzzle 2, where
    /// `state` is ignored and every subscription hears changes made).
    bool pending_notifications = false;
    /// Users, roles and tokens: requests are authenticated (`jwt`) and
    /// authorized, and `auth` answers. Null: every request may do anything
    /// (a development default) and `auth:login` is refused.
    std::shared_ptr<auth::security_config const> security;
    std::size_t max_json_depth = 64;             ///< nesting of a request
    std::string node = "rtnotify";               ///< `node` of the notifications
    /// Keep each document change and realtime publish for `take_changes`
    /// (a node of a cluster hands them to the others); whoever sets it takes
    /// them after every call, or they accumulate.
    bool keep_changes = false;
    /// With `keep_changes`: how often the counts of this node's rooms go to
    /// the other nodes (`take_presence`); a node not heard from for three
    /// times as long is forgotten, its counts with it.
    std::int64_t presence_interval_ms = 10000;
    /// Bounds of what the other nodes report of their rooms (`apply_remote_presence`).
    remote_counts_limits remote_counts{400000, std::size_t(64) << 20, 256};
};

/// A text to send to a connection; notifications sent to many share one text.
using outgoing = rtnotify::outgoing_text;

/// What a request over HTTP gets: its status and response, and the notifications it sends to the connections.
struct http_answer
{
    int status = 200;
    std::string body; ///< the response envelope, as over WebSocket
    std::vector<outgoing> texts;
};

/** Kuzzle's real-time API (v2 shapes) over a `room_registry`, with an in-memory document store.

    Sans-I/O: the transport hands in each text a connection sent and the
    time; it gets back the response (to the sender) and the notifications
    the request caused (to the connections listening on their channels), in
    the order to send them. Requests and responses have Kuzzle v2's shapes:
    the response echoes `requestId`, carries it in `room`, and has `status`,
    `error` (null or `{status, id, message}`), `controller`, `action`,
    `index`, `collection`, `volatile` and `result`.

    Controllers:
    - `realtime`: subscribe, join, unsubscribe, count, list, publish;
    - `document`: see `document_controller` (the store is the process's
      memory; in a cluster, each node's store takes the others' changes,
      `apply_remote_change`);
    - `auth`: see `auth_controller` (with `security`);
    - `server`: see `server_controller`.
    Requests over HTTP (`receive_http`) take Kuzzle 2's routes
    (`kuzzle_request_of`); what they change notifies the connections.
    `{"p":1}` is answered `{"p":2}` (the SDK's ping in browsers).
*/
class kuzzle_api
{
public:
    explicit kuzzle_api(kuzzle_api_options opts = {})
        : opts_(std::move(opts)), rooms_(opts_.filters, opts_.max_rooms, opts_.max_rooms_bytes),
          documents_({{opts_.max_documents, opts_.max_document_bytes, opts_.max_store_bytes},
                      opts_.filters,
                      opts_.max_documents_per_write,
                      opts_.max_documents_per_fetch,
                      opts_.max_search_bytes,
                      opts_.pending_notifications})
    {
        if(opts_.security)
            auth_.emplace(opts_.security);
    }

    /// Connection `conn` opened from `address` (the client's IP address: failed logins are counted per address).
    void open(connection_id conn, std::string address) { addresses_[conn] = std::move(address); }

    /** Handles the text `conn` sent at `now_ms` (milliseconds since the
        epoch) over `protocol`, the transport's name as the notifications'
        `protocol` field reports it ("websocket", "mqtt").
    */
    std::vector<outgoing> receive(connection_id conn, std::string_view text, std::int64_t now_ms,
                                  std::string_view protocol = "websocket")
    {
        out_.clear();
        protocol_ = protocol;
        json::parse_options po;
        po.max_depth = opts_.max_json_depth;
        boost::system::error_code ec;
        auto v = json::parse(text, ec, {}, po);
        if(ec || !v.is_object())
        {
            json::object none{{"requestId", rtnotify::detail::random_uuid()}};
            reply(conn, none, fail(400, "api.assert.invalid_argument",
                                   ec ? "Invalid request: not JSON (" + ec.message() + ")." : "Invalid request: not an object."));
            return std::move(out_);
        }
        rtnotify::detail::restore_overflowed_zeros(v);
        auto& req = v.as_object();
        if(req.size() == 1 && req.contains("p") && req.at("p") == 1)
        {
            send(conn, json::object{{"p", 2}});
            return std::move(out_);
        }
        if(auto const* id = req.if_contains("requestId"); !id || id->is_null() || (id->is_string() && id->as_string().empty()))
            req["requestId"] = rtnotify::detail::random_uuid(); // as Kuzzle: never null or "", so responses can be matched
        handle(conn, req, now_ms);
        return std::move(out_);
    }

    /** Handles the HTTP request `call` from `address` at `now_ms`: its
        answer, whose status is the response's, and the notifications it
        sends to the connections (`protocol` "http" in them). It has no
        connection: realtime subscriptions are not among its routes.
    */
    http_answer receive_http(http_call const& call, std::string address, std::int64_t now_ms)
    {
        out_.clear();
        protocol_ = "http";
        auto made = kuzzle_request_of(call, opts_.max_json_depth);
        if(auto* f = std::get_if<failure>(&made))
            reply(http_caller, json::object{{"requestId", rtnotify::detail::random_uuid()}}, std::move(*f));
        else
        {
            auto& req = std::get<json::object>(made);
            req["requestId"] = rtnotify::detail::random_uuid();
            addresses_[http_caller] = std::move(address);
            handle(http_caller, req, now_ms);
            addresses_.erase(http_caller);
        }
        http_answer answer{replied_status_, {}, {}};
        for(auto& o : out_)
            if(o.to == http_caller)
                answer.body = std::move(*o.text);
            else
                answer.texts.push_back(std::move(o));
        out_.clear();
        return answer;
    }

    /** The document changes (silent ones too) and realtime publishes
        handled since the last call (only with `keep_changes`), in order: for
        the other nodes of a cluster, which pass them to `apply_remote_change`.
    */
    std::vector<document_change> take_changes() { return std::exchange(changes_, {}); }

    /** What the other nodes of a cluster need to know of who entered and
        left the rooms here since the last call (only with `keep_changes`):
        a `presence_change` text for each, in order, then the parts of a
        snapshot of every room's count when `presence_interval_ms` passed
        since the last one (the first call makes one). For the other nodes'
        `apply_remote_presence` and `apply_remote_snapshot`.
    */
    std::vector<std::string> take_presence(std::int64_t now_ms)
    {
        auto out = std::exchange(presence_, {});
        if(!opts_.keep_changes || (snapshots_ != 0 && now_ms - last_snapshot_ms_ < opts_.presence_interval_ms))
            return out;
        last_snapshot_ms_ = now_ms;
        std::vector<remote_room> mine;
        for(auto const& [index, collections] : rooms_.list())
            for(auto const& [collection, ids] : collections.as_object())
                for(auto const& [id, n] : ids.as_object())
                    if(n.to_number<std::size_t>() != 0)
                        mine.push_back({std::string(id), std::string(index), std::string(collection), n.to_number<std::size_t>()});
        for(auto& part : presence_snapshot_json(opts_.node, ++snapshots_, mine, snapshot_part_bytes))
            out.push_back(std::move(part));
        return out;
    }

    /** Another node's connection entered or left one of its rooms at
        `now_ms`: its count there is kept (`realtime:count` and `list` add
        it), and the channels of that room here get the user notification
        (those whose `propagate` option is false skip it).
    */
    std::vector<outgoing> apply_remote_presence(presence_change const& c, std::int64_t now_ms)
    {
        out_.clear();
        if(!remote_.set(c.node, {c.room_id, c.index, c.collection, c.count}, now_ms))
            return {};
        if(auto const where = rooms_.collection_of(c.room_id))
        {
            auto here = c;
            std::tie(here.index, here.collection) = *where;
            deliver(notify_user(rooms_, here, rooms_.count(c.room_id).value_or(0) + remote_.total(c.room_id), true));
        }
        return std::move(out_);
    }

    /// A part of another node's snapshot of its rooms' counts, received at `now_ms`: the counts kept of that node become these.
    void apply_remote_snapshot(presence_snapshot const& s, std::int64_t now_ms)
    {
        remote_.snapshot(s.node, s.number, s.last, s.rooms, now_ms);
    }

    /// What the other nodes reported of their rooms.
    remote_counts const& remote() const noexcept { return remote_; }

    /// Other nodes forgotten since the start: not heard from for three times `presence_interval_ms`.
    std::uint64_t silent_nodes() const noexcept { return silent_nodes_; }

    /** A change another node made: its document is stored here when newer
        than the one here (`document_store::apply_replica`; past the store's
        limits it is not, and counted in `replicas_refused`), and this node's
        rooms hear of it unless it was silent: the document notifications it
        causes here (channels whose `propagate` option is false skip it).
    */
    std::vector<outgoing> apply_remote_change(document_change const& c)
    {
        out_.clear();
        if(documents_.apply_remote(c) == replica_outcome::refused)
            ++replicas_refused_;
        if(!c.silent)
            deliver(notify_document(rooms_, c, true));
        return std::move(out_);
    }

    /// Documents of other nodes' changes this store could not take (its limits) since the start.
    std::uint64_t replicas_refused() const noexcept { return replicas_refused_; }

    /// The connection closed: it leaves its rooms; the others get user "out" notifications.
    std::vector<outgoing> disconnect(connection_id conn, std::int64_t now_ms)
    {
        out_.clear();
        addresses_.erase(conn);
        leave_all(conn, now_ms);
        return std::move(out_);
    }

    /** The connections whose token expired by `now_ms` get Kuzzle's
        TokenExpired server notification and leave their rooms (call it every
        second or so; only with `security`); with `keep_changes`, the other
        nodes that fell silent are forgotten.
    */
    std::vector<outgoing> expire(std::int64_t now_ms)
    {
        out_.clear();
        if(auth_)
            auth_->purge(now_ms);
        if(opts_.keep_changes)
            silent_nodes_ += remote_.forget_silent(now_ms, 3 * opts_.presence_interval_ms).size();
        while(!expiring_.empty() && expiring_.begin()->first <= now_ms)
        {
            auto const conn = expiring_.begin()->second;
            token_expiry_.erase(conn);
            expiring_.erase(expiring_.begin());
            out_.push_back({conn, std::make_shared<std::string const>(json::serialize(token_expired_notification(opts_.node))),
                            std::make_shared<std::string const>("kuzzle:notification:server")});
            leave_all(conn, now_ms);
        }
        return std::move(out_);
    }

    /// The rooms, for inspection.
    room_registry const& rooms() const noexcept { return rooms_; }

    kuzzle_api_options const& options() const noexcept { return opts_; }

    /// The bytes of the rooms' filters, as `max_rooms_bytes` counts them.
    std::size_t rooms_bytes() const noexcept { return rooms_.bytes(); }

    /// The subscriptions of every connection together (what `max_total_subscriptions` bounds).
    std::size_t subscription_count() const noexcept { return total_subscriptions_; }

    /// The number of documents stored.
    std::size_t document_count() const noexcept { return documents_.store().size(); }

    /// The bytes of every stored document together, as JSON text (what `max_store_bytes` bounds).
    std::size_t store_bytes() const noexcept { return documents_.store().bytes(); }

private:
    using failure = api_failure;

    /// The connection id of a request over HTTP, which no transport gives a connection.
    static constexpr connection_id http_caller = std::numeric_limits<connection_id>::max();

    /// `conn` leaves every room it is in (the others get user "out" notifications) and forgets its token.
    void leave_all(connection_id conn, std::int64_t now_ms)
    {
        if(auto t = token_expiry_.find(conn); t != token_expiry_.end())
        {
            expiring_.erase({t->second, conn});
            token_expiry_.erase(t);
        }
        auto it = subscriptions_.find(conn);
        if(it == subscriptions_.end())
            return;
        auto const rooms = std::move(it->second);
        subscriptions_.erase(it);
        auto p = protocols_.find(conn);
        protocol_ = p == protocols_.end() ? "websocket" : p->second; // who leaves, over what
        if(p != protocols_.end())
            protocols_.erase(p);
        total_subscriptions_ -= rooms.size();
        for(auto const& id : rooms)
            if(rooms_.unsubscribe(conn, id))
            {
                user_event(id, false, "unsubscribe", {}, now_ms);
            }
    }

    /** The index and collection a request acts on, for its rights: its own
        arguments, or for `join` and `count` those of the room it names (a
        room id must not reach past the indexes a role is restricted to).
    */
    std::pair<std::string, std::string> target_of(std::string const& controller, std::string const& action,
                                                  json::object const& req) const
    {
        if(controller == "realtime" && (action == "join" || action == "count"))
            if(auto const* b = req.if_contains("body"); b && b->is_object())
                if(auto const* id = b->get_object().if_contains("roomId"); id && id->is_string())
                {
                    if(auto where = rooms_.collection_of(id->get_string()))
                        return std::move(*where);
                    if(auto where = remote_.collection_of(id->get_string()))
                        return std::move(*where);
                }
        return {detail::string_of(req, "index"), detail::string_of(req, "collection")};
    }

    /// `list`'s answer (index → collection → room → count) without the collections `who` may not list.
    void visible_only(json::value& listed, identity const& who) const
    {
        auto& indexes = listed.as_object();
        for(auto i = indexes.begin(); i != indexes.end();)
        {
            auto& collections = i->value().as_object();
            for(auto c = collections.begin(); c != collections.end();)
                c = auth::allows(auth_->config(), who.roles, "realtime", "list", i->key(), c->key()) ? std::next(c)
                                                                                                     : collections.erase(c);
            i = collections.empty() ? indexes.erase(i) : std::next(i);
        }
    }

    /// The connection's subscriptions now end when `who`'s token does (the latest token it subscribed with).
    void link_token(connection_id conn, identity const& who)
    {
        if(who.expires_ms == 0)
            return;
        if(auto t = token_expiry_.find(conn); t != token_expiry_.end())
            expiring_.erase({t->second, conn});
        token_expiry_[conn] = who.expires_ms;
        expiring_.insert({who.expires_ms, conn});
    }

    void send(connection_id to, json::object const& payload)
    {
        out_.push_back({to, std::make_shared<std::string const>(json::serialize(payload))});
    }

    /// The response envelope: what Kuzzle v2 sends back over WebSocket.
    void reply(connection_id to, json::object const& req, api_outcome outcome)
    {
        auto const request_id = req.contains("requestId") ? req.at("requestId") : json::value(nullptr);
        json::object r{{"requestId", request_id},
                       {"controller", req.contains("controller") ? req.at("controller") : nullptr},
                       {"action", req.contains("action") ? req.at("action") : nullptr},
                       {"index", req.contains("index") ? req.at("index") : nullptr},
                       {"collection", req.contains("collection") ? req.at("collection") : nullptr},
                       {"volatile", req.contains("volatile") ? req.at("volatile") : json::object()},
                       {"room", request_id}};
        replied_status_ = std::holds_alternative<failure>(outcome) ? std::get<failure>(outcome).status : 200;
        if(auto* f = std::get_if<failure>(&outcome))
        {
            r["status"] = f->status;
            r["error"] = {{"status", f->status}, {"id", f->id}, {"message", f->message}};
            r["result"] = nullptr;
        }
        else
        {
            r["status"] = 200;
            r["error"] = nullptr;
            r["result"] = std::move(std::get<json::value>(outcome));
        }
        auto text = std::make_shared<std::string const>(json::serialize(r));
        out_.push_back({to, std::move(text), nullptr,
                        request_id.is_string() ? std::string(request_id.get_string()) : json::serialize(request_id)});
    }

    /// Sends each notification to the connections on its channel.
    void deliver(std::vector<notification> const& ns)
    {
        for(auto const& n : ns)
        {
            auto const text = std::make_shared<std::string const>(json::serialize(n.payload));
            auto const channel = std::make_shared<std::string const>(n.channel);
            auto const room = n.channel.substr(0, n.channel.rfind('-'));
            for(auto const& ch : rooms_.channels(room))
                if(ch.name == n.channel)
                    for(auto const c : ch.subscribers)
                        out_.push_back({c, text, channel});
        }
    }

    /// A connection entered or left room `room_id`: its channels here hear it, and with `keep_changes` the other nodes.
    void user_event(std::string const& room_id, bool entering, std::string_view action, json::object const& vol,
                    std::int64_t now_ms)
    {
        presence_change c{room_id, {}, {}, rooms_.count(room_id).value_or(0), entering, std::string(action), protocol_,
                          opts_.node, now_ms, vol};
        auto const where = rooms_.collection_of(room_id); // none when the last one left: the others still hear of it
        if(where)
            std::tie(c.index, c.collection) = *where;
        if(opts_.keep_changes)
            presence_.push_back(presence_change_json(c));
        if(where)
            deliver(notify_user(rooms_, c, c.count + remote_.total(room_id)));
    }

    void handle(connection_id conn, json::object const& req, std::int64_t now_ms)
    {
        auto const controller = detail::string_of(req, "controller");
        auto const action = detail::string_of(req, "action");
        document_response r{fail(404, "api.process.action_not_found",
                                 "API action \"" + controller + "\":\"" + action + "\" not found."),
                            {},
                            {}};
        std::optional<std::pair<std::string, bool>> user; // room entered (true) or left
        identity who;
        if(auth_)
        {
            auto id = auth_->identify(req, now_ms);
            bool const open_action = controller == "auth" && (action == "login" || action == "checkToken");
            if(auto* f = std::get_if<failure>(&id); f && !open_action)
            {
                reply(conn, req, std::move(*f));
                return;
            }
            if(auto* i = std::get_if<identity>(&id))
                who = std::move(*i);
            auto [index, collection] = target_of(controller, action, req);
            if(auto f = auth_->authorize(who, controller, action, index, collection))
            {
                reply(conn, req, std::move(*f));
                return;
            }
        }
        if(controller == "realtime")
        {
            r.outcome = realtime(conn, action, req, now_ms, r, user);
            if(action == "list" && auth_ && std::holds_alternative<json::value>(r.outcome))
                visible_only(std::get<json::value>(r.outcome), who);
            if((action == "subscribe" || action == "join") && std::holds_alternative<json::value>(r.outcome))
                link_token(conn, who);
        }
        else if(controller == "document")
            r = documents_.handle(action, req, {opts_.node, protocol_, now_ms}, rooms_);
        else if(controller == "auth" && auth_ && auth_controller::has_action(action))
        {
            auto const a = addresses_.find(conn);
            r.outcome = auth_->handle(action, req, who, a == addresses_.end() ? "connection " + std::to_string(conn) : a->second,
                                      now_ms);
            if(action == "logout" && std::holds_alternative<json::value>(r.outcome))
                leave_all(conn, now_ms); // what the token allowed ends with it
        }
        else if(controller == "server" && server_controller::has_action(action))
            r.outcome = server_controller::handle(action, opts_.node, now_ms);
        else if(controller == "auth" && auth_controller::has_action(action))
            r.outcome = fail(400, "security.authentication.disabled",
                             "Authentication is not configured on this server (rtnotify-server --config).");
        deliver(r.announced);
        reply(conn, req, std::move(r.outcome));
        deliver(r.caused);
        if(opts_.keep_changes)
            changes_.insert(changes_.end(), std::make_move_iterator(r.changes.begin()), std::make_move_iterator(r.changes.end()));
        if(user)
        {
            json::object vol;
            if(auto const* v = req.if_contains("volatile"); v && v->is_object())
                vol = v->as_object();
            user_event(user->first, user->second, action, vol, now_ms);
        }
    }

    std::optional<failure> options_of(json::object const& req, subscribe_options& o) const
    {
        static constexpr std::pair<std::string_view, scope> scopes[] = {
            {"all", scope::all}, {"in", scope::in}, {"out", scope::out}, {"none", scope::none}};
        static constexpr std::pair<std::string_view, users> user_modes[] = {
            {"all", users::all}, {"in", users::in}, {"out", users::out}, {"none", users::none}};
        static constexpr std::pair<std::string_view, state> states[] = {
            {"done", state::done}, {"pending", state::pending}, {"all", state::all}};
        if(auto const* s = req.if_contains("state"); opts_.pending_notifications && s && !s->is_null())
        {
            auto const v = detail::named(states, *s);
            if(!v)
                return fail(400, "core.realtime.invalid_state", "Invalid state (expected: done, pending or all).");
            o.state = *v;
        }
        if(auto const* s = req.if_contains("scope"); s && !s->is_null())
        {
            auto const v = detail::named(scopes, *s);
            if(!v)
                return fail(400, "core.realtime.invalid_scope", "Invalid scope (expected: all, in, out or none).");
            o.scope = *v;
        }
        if(auto const* u = req.if_contains("users"); u && !u->is_null())
        {
            auto const v = detail::named(user_modes, *u);
            if(!v)
                return fail(400, "core.realtime.invalid_users", "Invalid users option (expected: all, in, out or none).");
            o.users = *v;
        }
        if(auto const* v = req.if_contains("volatile"); v && v->is_object())
            o.volatile_data = v->as_object();
        return std::nullopt;
    }

    /// `body.roomId`, a string.
    static std::variant<std::string, failure> room_of(json::object const& req)
    {
        auto b = detail::body_of(req, false);
        if(auto* f = std::get_if<failure>(&b))
            return std::move(*f);
        auto const* r = std::get<json::object const*>(b)->if_contains("roomId");
        if(!r || !r->is_string())
            return fail(400, "api.assert.missing_argument", "Missing argument \"body.roomId\".");
        return std::string(r->as_string());
    }

    api_outcome realtime(connection_id conn, std::string const& action, json::object const& req, std::int64_t now_ms,
                         document_response& response, std::optional<std::pair<std::string, bool>>& user)
    {
        if(action == "subscribe" || action == "join")
        {
            subscribe_options o;
            if(auto f = options_of(req, o))
                return *f;
            auto& mine = subscriptions_[conn];
            protocols_.try_emplace(conn, protocol_);
            if(mine.size() >= opts_.max_subscriptions)
                return fail(400, "core.realtime.too_many_subscriptions",
                            "Too many subscriptions on this connection (max " + std::to_string(opts_.max_subscriptions) + ").");
            if(total_subscriptions_ >= opts_.max_total_subscriptions)
                return fail(503, "core.realtime.too_many_subscriptions",
                            "Too many subscriptions on this server (max " +
                                std::to_string(opts_.max_total_subscriptions) + ").");
            std::optional<subscription> s;
            if(action == "join")
            {
                auto r = room_of(req);
                if(auto* f = std::get_if<failure>(&r))
                    return std::move(*f);
                s = rooms_.join(conn, std::get<std::string>(r), o);
                if(!s)
                    return fail(404, "core.realtime.room_not_found", "Room \"" + std::get<std::string>(r) + "\" not found.");
            }
            else
            {
                std::string index, collection;
                if(auto f = detail::where(req, index, collection))
                    return *f;
                auto b = detail::body_of(req, true);
                if(auto* f = std::get_if<failure>(&b))
                    return std::move(*f);
                auto const& filter = *std::get<json::object const*>(b);
                auto const bytes = index.size() + collection.size() + json::serialize(filter).size();
                if(bytes > opts_.max_filter_bytes)
                    return fail(413, "api.assert.filter_too_large",
                                "The filter is larger than " + std::to_string(opts_.max_filter_bytes) + " bytes.");
                auto r = rooms_.subscribe(conn, index, collection, filter, o);
                if(!r && r.error().code == error::too_many_rooms)
                    return fail(503, "core.realtime.too_many_rooms", r.error().to_string());
                if(!r)
                    return fail(400, "api.assert.koncorde_dsl_error", r.error().to_string());
                s = *r;
            }
            if(mine.insert(s->room_id).second) // a connection arrives once, whatever its channels
            {
                ++total_subscriptions_;
                user = {s->room_id, true};
            }
            return json::object{{"roomId", s->room_id}, {"channel", s->channel}};
        }
        if(action == "unsubscribe")
        {
            auto r = room_of(req);
            if(auto* f = std::get_if<failure>(&r))
                return std::move(*f);
            auto const& id = std::get<std::string>(r);
            if(!rooms_.unsubscribe(conn, id))
                return fail(412, "core.realtime.not_subscribed",
                            "Cannot unsubscribe from room \"" + id + "\" because the user is not subscribed to it.");
            total_subscriptions_ -= subscriptions_[conn].erase(id);
            user = {id, false};
            return json::object{{"roomId", id}};
        }
        if(action == "count")
        {
            auto r = room_of(req);
            if(auto* f = std::get_if<failure>(&r))
                return std::move(*f);
            auto const& id = std::get<std::string>(r);
            auto const here = rooms_.count(id);
            auto const elsewhere = remote_.total(id);
            if(!here && elsewhere == 0)
                return fail(404, "core.realtime.room_not_found", "Room \"" + id + "\" not found.");
            return json::object{{"count", here.value_or(0) + elsewhere}};
        }
        if(action == "list")
            return rooms_and_counts();
        if(action == "publish")
        {
            document_change c;
            if(auto f = detail::where(req, c.index, c.collection))
                return *f;
            auto b = detail::body_of(req, false);
            if(auto* f = std::get_if<failure>(&b))
                return std::move(*f);
            c.action = document_action::publish;
            c.controller = "realtime";
            c.id = req.contains("_id") ? req.at("_id") : nullptr;
            c.after = *std::get<json::object const*>(b);
            (*c.after)["_kuzzle_info"] = {{"author", "-1"}, {"createdAt", now_ms}};
            stamp(c, req, now_ms);
            if(opts_.pending_notifications)
                response.announced = announce_document(rooms_, c, action);
            response.caused = notify_document(rooms_, c);
            response.changes.push_back(std::move(c));
            return json::object{{"published", true}};
        }
        return fail(404, "api.process.action_not_found", "API action \"realtime\":\"" + action + "\" not found.");
    }

    /// `list`'s answer, index → collection → room → count: the rooms here and those of the other nodes, counts added.
    json::value rooms_and_counts() const
    {
        auto listed = rooms_.list();
        remote_.for_each_room([&](remote_room const& r) {
            auto& collections = listed[r.index];
            if(!collections.is_object())
                collections = json::object();
            auto& ids = collections.as_object()[r.collection];
            if(!ids.is_object())
                ids = json::object();
            auto& n = ids.as_object()[r.room_id];
            n = (n.is_number() ? n.to_number<std::size_t>() : 0) + r.count;
        });
        return listed;
    }

    void stamp(document_change& c, json::object const& req, std::int64_t now_ms) const
    {
        c.node = opts_.node;
        c.protocol = protocol_;
        c.request_id = detail::string_of(req, "requestId");
        c.timestamp = now_ms;
        if(auto const* v = req.if_contains("volatile"); v && v->is_object())
            c.volatile_data = v->as_object();
    }

    kuzzle_api_options opts_;
    room_registry rooms_;
    std::size_t total_subscriptions_ = 0; ///< the sizes of `subscriptions_`
    document_controller documents_;
    std::unordered_map<connection_id, std::set<std::string>> subscriptions_;
    std::unordered_map<connection_id, std::string> protocols_; ///< of the connections in subscriptions_
    std::optional<auth_controller> auth_;                       ///< with `security` only
    std::unordered_map<connection_id, std::string> addresses_;  ///< of the connections `open` named
    std::unordered_map<connection_id, std::int64_t> token_expiry_; ///< when each connection's subscriptions end
    std::set<std::pair<std::int64_t, connection_id>> expiring_;    ///< the same, by time
    std::string protocol_ = "websocket";                        ///< of the request being handled
    int replied_status_ = 200;                                  ///< of the last response made
    std::vector<outgoing> out_;
    std::vector<document_change> changes_; ///< kept for `take_changes` (with `keep_changes`)
    std::vector<std::string> presence_;    ///< kept for `take_presence` (with `keep_changes`)
    remote_counts remote_{opts_.remote_counts};
    std::int64_t last_snapshot_ms_ = 0;    ///< when `take_presence` made the last snapshot
    std::uint64_t snapshots_ = 0;          ///< made so far
    std::uint64_t silent_nodes_ = 0;
    std::uint64_t replicas_refused_ = 0;
    /// About the most JSON of one snapshot part, well under a cluster frame's bound.
    static constexpr std::size_t snapshot_part_bytes = 256 * 1024;
};

} // namespace rtnotify::rooms

#endif
