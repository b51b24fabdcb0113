// Kuzzle's realtime API over any text transport: requests in, responses and notifications out.
// SPDX-License-Identifier: BSL-1.0
// One header because Kuzzle's realtime and document controllers are one request router: they share the
// request envelope, the rooms and the notifications they cause (the store is document_store.hpp).
#ifndef RTNOTIFY_ROOMS_KUZZLE_API_HPP
#define RTNOTIFY_ROOMS_KUZZLE_API_HPP

#include <rtnotify/detail/json_numbers.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/outgoing_text.hpp>
#include <rtnotify/rooms/document_store.hpp>
#include <rtnotify/rooms/notification.hpp>
#include <rtnotify/rooms/room_registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
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
    std::size_t max_json_depth = 64;             ///< nesting of a request
    std::string node = "rtnotify";               ///< `node` of the notifications
};

/// A text to send to a connection; notifications sent to many share one text.
using outgoing = rtnotify::outgoing_text;

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
    - `document`: create, replace, update, delete, get, exists,
      createOrReplace, upsert (the store is the process's memory; creating
      a document in a collection creates it).
    `{"p":1}` is answered `{"p":2}` (the SDK's ping in browsers).
*/
class kuzzle_api
{
public:
    explicit kuzzle_api(kuzzle_api_options opts = {})
        : opts_(std::move(opts)), rooms_(opts_.filters, opts_.max_rooms, opts_.max_rooms_bytes),
          store_({opts_.max_documents, opts_.max_document_bytes, opts_.max_store_bytes})
    {
    }

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

    /// The connection closed: it leaves its rooms; the others get user "out" notifications.
    std::vector<outgoing> disconnect(connection_id conn, std::int64_t now_ms)
    {
        out_.clear();
        auto it = subscriptions_.find(conn);
        if(it == subscriptions_.end())
            return {};
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
        return std::move(out_);
    }

    /// The rooms, for inspection.
    room_registry const& rooms() const noexcept { return rooms_; }

    kuzzle_api_options const& options() const noexcept { return opts_; }

    /// The bytes of the rooms' filters, as `max_rooms_bytes` counts them.
    std::size_t rooms_bytes() const noexcept { return rooms_.bytes(); }

    /// The number of documents stored.
    std::size_t document_count() const noexcept { return store_.size(); }

    /// The bytes of every stored document together, as JSON text (what `max_store_bytes` bounds).
    std::size_t store_bytes() const noexcept { return store_.bytes(); }

private:
    struct failure
    {
        int status = 400;
        std::string id;
        std::string message;
    };

    static failure fail(int status, std::string id, std::string message)
    {
        return {status, std::move(id), std::move(message)};
    }

    static std::string string_of(json::object const& o, std::string_view key)
    {
        auto const* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    }

    void send(connection_id to, json::object const& payload)
    {
        out_.push_back({to, std::make_shared<std::string const>(json::serialize(payload))});
    }

    /// The response envelope: what Kuzzle v2 sends back over WebSocket.
    void reply(connection_id to, json::object const& req, std::variant<json::value, failure> outcome)
    {
        auto const request_id = req.contains("requestId") ? req.at("requestId") : json::value(nullptr);
        json::object r{{"requestId", request_id},
                       {"controller", req.contains("controller") ? req.at("controller") : nullptr},
                       {"action", req.contains("action") ? req.at("action") : nullptr},
                       {"index", req.contains("index") ? req.at("index") : nullptr},
                       {"collection", req.contains("collection") ? req.at("collection") : nullptr},
                       {"volatile", req.contains("volatile") ? req.at("volatile") : json::object()},
                       {"room", request_id}};
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

    void user_event(std::string const& room_id, bool entering, std::string_view action, json::object const& vol,
                    std::int64_t now_ms)
    {
        auto const where = rooms_.collection_of(room_id);
        if(!where)
            return; // the room is gone: nobody is left to tell
        deliver(notify_user(rooms_, room_id, where->first, where->second, entering, action, vol, opts_.node, now_ms,
                            protocol_));
    }

    void handle(connection_id conn, json::object const& req, std::int64_t now_ms)
    {
        auto const controller = string_of(req, "controller");
        auto const action = string_of(req, "action");
        std::variant<json::value, failure> outcome = fail(404, "api.process.action_not_found",
                                                          "API action \"" + controller + "\":\"" + action + "\" not found.");
        std::vector<notification> caused;
        std::optional<std::pair<std::string, bool>> user; // room entered (true) or left
        if(controller == "realtime")
            outcome = realtime(conn, action, req, now_ms, caused, user);
        else if(controller == "document")
            outcome = document(action, req, now_ms, caused);
        reply(conn, req, std::move(outcome));
        deliver(caused);
        if(user)
        {
            json::object vol;
            if(auto const* v = req.if_contains("volatile"); v && v->is_object())
                vol = v->as_object();
            user_event(user->first, user->second, action, vol, now_ms);
        }
    }

    /// `index` and `collection`, both required non-empty strings.
    static std::optional<failure> where(json::object const& req, std::string& index, std::string& collection)
    {
        for(auto [key, out] : {std::pair{"index", &index}, std::pair{"collection", &collection}})
        {
            auto const* v = req.if_contains(key);
            if(!v)
                return fail(400, "api.assert.missing_argument", std::string("Missing argument \"") + key + "\".");
            if(!v->is_string() || v->as_string().empty())
                return fail(400, "api.assert.invalid_type",
                            std::string("Wrong type for argument \"") + key + "\" (expected: non-empty string).");
            *out = std::string(v->as_string());
        }
        return std::nullopt;
    }

    /// The request's `body`, which must be an object (`{}` when absent and `optional`).
    static std::variant<json::object const*, failure> body_of(json::object const& req, bool optional)
    {
        static json::object const empty;
        auto const* b = req.if_contains("body");
        if(!b || b->is_null())
        {
            if(optional)
                return &empty;
            return fail(400, "api.assert.body_required", "The request must specify a body.");
        }
        if(!b->is_object())
            return fail(400, "api.assert.invalid_type", "Wrong type for argument \"body\" (expected: object).");
        return &b->as_object();
    }

    /// The value `v` names in `table`; empty when `v` is no string or names none of them.
    template<class T, std::size_t N>
    static std::optional<T> named(std::pair<std::string_view, T> const (&table)[N], json::value const& v)
    {
        if(v.is_string())
            for(auto const& [name, value] : table)
                if(name == v.as_string())
                    return value;
        return std::nullopt;
    }

    static std::optional<failure> options_of(json::object const& req, subscribe_options& o)
    {
        static constexpr std::pair<std::string_view, scope> scopes[] = {
            {"all", scope::all}, {"in", scope::in}, {"out", scope::out}, {"none", scope::none}};
        static constexpr std::pair<std::string_view, users> user_modes[] = {
            {"all", users::all}, {"in", users::in}, {"out", users::out}, {"none", users::none}};
        if(auto const* s = req.if_contains("scope"); s && !s->is_null())
        {
            auto const v = named(scopes, *s);
            if(!v)
                return fail(400, "core.realtime.invalid_scope", "Invalid scope (expected: all, in, out or none).");
            o.scope = *v;
        }
        if(auto const* u = req.if_contains("users"); u && !u->is_null())
        {
            auto const v = named(user_modes, *u);
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
        auto b = body_of(req, false);
        if(auto* f = std::get_if<failure>(&b))
            return std::move(*f);
        auto const* r = std::get<json::object const*>(b)->if_contains("roomId");
        if(!r || !r->is_string())
            return fail(400, "api.assert.missing_argument", "Missing argument \"body.roomId\".");
        return std::string(r->as_string());
    }

    std::variant<json::value, failure> realtime(connection_id conn, std::string const& action, json::object const& req,
                                                std::int64_t now_ms, std::vector<notification>& caused,
                                                std::optional<std::pair<std::string, bool>>& user)
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
                if(auto f = where(req, index, collection))
                    return *f;
                auto b = body_of(req, true);
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
            auto const n = rooms_.count(std::get<std::string>(r));
            if(!n)
                return fail(404, "core.realtime.room_not_found", "Room \"" + std::get<std::string>(r) + "\" not found.");
            return json::object{{"count", *n}};
        }
        if(action == "list")
            return rooms_.list();
        if(action == "publish")
        {
            document_change c;
            if(auto f = where(req, c.index, c.collection))
                return *f;
            auto b = body_of(req, false);
            if(auto* f = std::get_if<failure>(&b))
                return std::move(*f);
            c.action = document_action::publish;
            c.controller = "realtime";
            c.id = req.contains("_id") ? req.at("_id") : nullptr;
            c.after = *std::get<json::object const*>(b);
            (*c.after)["_kuzzle_info"] = {{"author", "-1"}, {"createdAt", now_ms}};
            stamp(c, req, now_ms);
            caused = notify_document(rooms_, c);
            return json::object{{"published", true}};
        }
        return fail(404, "api.process.action_not_found", "API action \"realtime\":\"" + action + "\" not found.");
    }

    void stamp(document_change& c, json::object const& req, std::int64_t now_ms) const
    {
        c.node = opts_.node;
        c.protocol = protocol_;
        c.request_id = string_of(req, "requestId");
        c.timestamp = now_ms;
        if(auto const* v = req.if_contains("volatile"); v && v->is_object())
            c.volatile_data = v->as_object();
    }

    /// `patch` merged into `target` (objects merged key by key, anything else replaced); `changed` gets the leaf paths.
    static void merge(json::object& target, json::object const& patch, std::string const& prefix,
                      std::vector<std::string>& changed)
    {
        for(auto const& [k, v] : patch)
        {
            auto const path = prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
            auto* t = target.if_contains(k);
            if(v.is_object() && t && t->is_object())
                merge(t->as_object(), v.as_object(), path, changed);
            else
            {
                target[k] = v;
                changed.push_back(path);
            }
        }
    }

    std::variant<json::value, failure> document(std::string const& action, json::object const& req, std::int64_t now_ms,
                                                std::vector<notification>& caused)
    {
        static std::set<std::string_view> const actions{"create", "replace", "update", "delete", "get",
                                                        "exists", "createOrReplace", "upsert"};
        if(!actions.contains(action))
            return fail(404, "api.process.action_not_found", "API action \"document\":\"" + action + "\" not found.");
        document_change c;
        if(auto f = where(req, c.index, c.collection))
            return *f;
        std::string id;
        if(auto const* i = req.if_contains("_id"); i && !i->is_null())
        {
            if(!i->is_string() || i->as_string().empty())
                return fail(400, "api.assert.invalid_type", "Wrong type for argument \"_id\" (expected: non-empty string).");
            id = std::string(i->as_string());
        }
        else if(action != "create")
            return fail(400, "api.assert.missing_argument", "Missing argument \"_id\".");
        auto const* found = id.empty() ? nullptr : store_.find(c.index, c.collection, id);
        if(action == "exists")
            return json::value(found != nullptr);
        // createOrReplace and upsert are a create, or a replace or an update, as the document exists
        std::string const write = action == "createOrReplace" ? (found ? "replace" : "create")
                                  : action == "upsert"        ? (found ? "update" : "create")
                                                              : action;
        auto result = [&](std::string const& doc_id) -> json::value {
            auto const& d = *store_.find(c.index, c.collection, doc_id);
            json::object r{{"_id", doc_id}, {"_version", d.version}};
            if(action != "upsert" || (req.contains("source") && req.at("source") == true))
                r["_source"] = d.source;
            if(action == "createOrReplace" || action == "upsert")
                r["created"] = write == "create";
            return r;
        };
        if(write != "create" && !found)
            return fail(404, "services.storage.not_found",
                        "Document \"" + id + "\" not found in \"" + c.index + "\":\"" + c.collection + "\".");
        if(write == "get")
            return result(id);
        c.id = id;
        stamp(c, req, now_ms);
        if(write == "delete")
        {
            c.action = document_action::remove;
            c.before = *store_.remove(c.index, c.collection, id);
            caused = notify_document(rooms_, c);
            return json::object{{"_id", id}};
        }
        auto b = body_of(req, false);
        if(auto* f = std::get_if<failure>(&b))
            return std::move(*f);
        json::object const* body = std::get<json::object const*>(b);
        json::object upserted; // upsert's document when it creates: its default, then its changes over it
        if(action == "upsert")
        {
            auto const* changes = body->if_contains("changes");
            if(!changes || !changes->is_object())
                return fail(400, "api.assert.missing_argument", "Missing argument \"body.changes\" (expected: object).");
            auto const* defaults = body->if_contains("default");
            if(defaults && !defaults->is_object())
                return fail(400, "api.assert.invalid_type", "Wrong type for argument \"body.default\" (expected: object).");
            if(write == "create")
            {
                if(defaults)
                    upserted = defaults->get_object();
                for(auto const& kv : changes->get_object())
                    upserted[kv.key()] = kv.value();
                body = &upserted;
            }
            else
                body = &changes->get_object();
        }
        if(write == "create")
        {
            if(found)
                return fail(409, "services.storage.document_already_exists", "Document already exists.");
            auto source = *body;
            source["_kuzzle_info"] = {{"author", "-1"}, {"createdAt", now_ms}, {"updatedAt", nullptr}, {"updater", nullptr}};
            auto made = store_.create(c.index, c.collection, id, std::move(source));
            if(auto* r = std::get_if<store_refusal>(&made))
                return fail(r->status, std::move(r->id), std::move(r->message));
            id = std::get<std::string>(made);
            c.id = id;
            c.action = document_action::create;
        }
        else
        {
            json::object next = found->source;
            json::value info = next.contains("_kuzzle_info") ? next.at("_kuzzle_info") : json::object();
            std::vector<std::string> changed;
            if(write == "replace")
                next = *body;
            else
            {
                auto patch = *body;
                patch.erase("_kuzzle_info");
                merge(next, patch, "", changed);
            }
            if(info.is_object())
            {
                info.as_object()["updatedAt"] = now_ms;
                info.as_object()["updater"] = "-1";
            }
            next["_kuzzle_info"] = std::move(info);
            auto before = store_.replace(c.index, c.collection, id, std::move(next));
            if(auto* r = std::get_if<store_refusal>(&before))
                return fail(r->status, std::move(r->id), std::move(r->message));
            c.action = write == "replace" ? document_action::replace : document_action::update;
            c.updated_fields = std::move(changed);
            c.before = std::move(std::get<json::object>(before));
        }
        c.after = store_.find(c.index, c.collection, id)->source;
        caused = notify_document(rooms_, c);
        return result(id);
    }

    kuzzle_api_options opts_;
    room_registry rooms_;
    std::size_t total_subscriptions_ = 0; ///< the sizes of `subscriptions_`
    document_store store_;
    std::unordered_map<connection_id, std::set<std::string>> subscriptions_;
    std::unordered_map<connection_id, std::string> protocols_; ///< of the connections in subscriptions_
    std::string protocol_ = "websocket";                        ///< of the request being handled
    std::vector<outgoing> out_;
};

} // namespace rtnotify::rooms

#endif
