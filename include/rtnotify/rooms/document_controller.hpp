// Kuzzle's document controller on a document_store: its actions, their results and the notifications they cause.
// SPDX-License-Identifier: BSL-1.0
// One header because the single, multiple and by-query actions share one write path (checks,
// announcement, store, notifications) and one set of limits.
#ifndef RTNOTIFY_ROOMS_DOCUMENT_CONTROLLER_HPP
#define RTNOTIFY_ROOMS_DOCUMENT_CONTROLLER_HPP

#include <rtnotify/rooms/api_failure.hpp>
#include <rtnotify/rooms/detail/request_args.hpp>
#include <rtnotify/rooms/document_store.hpp>
#include <rtnotify/rooms/evaluate.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/notification.hpp>
#include <rtnotify/rooms/room_registry.hpp>

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

/// Limits and behaviour of a `document_controller`; the defaults are safe for requests from the network.
struct document_controller_options
{
    document_store_limits store;                  ///< documents, in count and bytes
    filter_options filters;                       ///< the queries of deleteByQuery and search
    std::size_t max_documents_per_write = 200;    ///< of an m* request or a deleteByQuery (Kuzzle's documentsWriteCount); beyond: 400
    std::size_t max_documents_per_fetch = 10000;  ///< `from` + `size` of a search (Kuzzle's documentsFetchCount); beyond: 400
    std::size_t max_search_bytes = std::size_t(8) << 20; ///< the documents of one search result, as the store counts them; beyond: 413
    bool pending_notifications = false;           ///< Kuzzle 1's "about to be" notifications before each write
};

/// Who asks, as the notifications report it: the node, the transport, and when.
struct request_context
{
    std::string_view node;
    std::string_view protocol = "websocket";
    std::int64_t now_ms = 0; ///< ms since the epoch
};

/// What a document action answers, and the notifications to send around the answer.
struct document_response
{
    api_outcome outcome;
    std::vector<notification> announced; ///< before the answer: "pending" (only with `pending_notifications`)
    std::vector<notification> caused;    ///< after the answer: one per changed document and channel
    std::vector<document_change> changes; ///< the changes made (silent ones too), for the other nodes of a cluster
};

/** Kuzzle 2's `document` controller on an in-memory `document_store`.

    Actions: create, replace, update, delete, get, exists, createOrReplace,
    upsert; mCreate, mCreateOrReplace, mReplace, mUpdate, mDelete (each
    document succeeds or fails on its own: `successes` and `errors`);
    deleteByQuery and search, whose `body.query` is a Koncorde filter.
    With `strict: true`, an m* request with a failed document answers 206
    `api.process.incomplete_multiple_request` (the others stay written).
    Every write notifies as the create, replace, update or delete it was,
    one notification per document and channel; `silent: true` notifies
    nobody. Creating a document in a collection creates the collection.
*/
class document_controller
{
public:
    explicit document_controller(document_controller_options opts = {}) : opts_(std::move(opts)), store_(opts_.store) {}

    /// Whether `action` is one of this controller's.
    static bool has_action(std::string_view action) noexcept
    {
        constexpr std::string_view actions[] = {"create",  "replace",          "update",   "delete",  "get",
                                                "exists",  "createOrReplace",  "upsert",   "mCreate", "mCreateOrReplace",
                                                "mReplace", "mUpdate",         "mDelete",  "deleteByQuery", "search"};
        return std::find(std::begin(actions), std::end(actions), action) != std::end(actions);
    }

    /// Runs `action` of request `req` (which has a `requestId`); `rooms` are whom its changes concern.
    document_response handle(std::string_view action, boost::json::object const& req, request_context const& ctx,
                             room_registry& rooms)
    {
        document_response out;
        out.outcome = run(action, req, ctx, rooms, out);
        return out;
    }

    document_controller_options const& options() const noexcept { return opts_; }

    /// The documents.
    document_store const& store() const noexcept { return store_; }

    /** Stores the document another node of a cluster wrote or deleted in
        `c` (`document_store::apply_replica`, `c.node` its writer); a publish
        or a change without a version stores nothing (`older`).
    */
    replica_outcome apply_remote(document_change const& c)
    {
        if(c.action == document_action::publish || c.version == 0 || !c.id.is_string())
            return replica_outcome::older;
        if(c.id.get_string().empty())
            return replica_outcome::refused; // no node writes a document without an id
        std::optional<boost::json::object> source;
        if(c.action != document_action::remove)
        {
            if(!c.after)
                return replica_outcome::older;
            source = *c.after;
        }
        return store_.apply_replica(c.index, c.collection, std::string(c.id.get_string()), std::move(source), c.version,
                                    c.node);
    }

private:
    /// A write to one document; `create_or_replace` and `upsert` pick theirs by the document's presence.
    enum class write_kind
    {
        create,
        replace,
        update,
        remove,
        create_or_replace,
        upsert,
    };

    /// One request's context for its writes.
    struct batch
    {
        std::string index;
        std::string collection;
        boost::json::object const& req;
        request_context const& ctx;
        room_registry& rooms;
        document_response& out;
        std::string_view action;
        bool silent = false;
    };

    /// A document written: its id, whether it was created, its source before (delete).
    struct written
    {
        std::string id;
        bool created = false;
        std::optional<boost::json::object> removed;
    };

    static api_failure not_found(std::string const& id, batch const& b)
    {
        return fail(404, "services.storage.not_found",
                    "Document \"" + id + "\" not found in \"" + b.index + "\":\"" + b.collection + "\".");
    }

    static api_failure too_many(std::size_t limit, char const* what)
    {
        return fail(400, "services.storage.write_limit_exceeded",
                    std::string("Number of ") + what + " exceeds the server's limit (" + std::to_string(limit) + ").");
    }

    /// `patch` merged into `target` (objects merged key by key, anything else replaced); `changed` gets the leaf paths.
    static void merge(boost::json::object& target, boost::json::object const& patch, std::string const& prefix,
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

    /// The document `upsert` writes: when it creates, `default` under `changes`; else `changes`.
    static std::variant<boost::json::object, api_failure> upsert_body(boost::json::object const& body, bool creates)
    {
        auto const* changes = body.if_contains("changes");
        if(!changes || !changes->is_object())
            return fail(400, "api.assert.missing_argument", "Missing argument \"body.changes\" (expected: object).");
        auto const* defaults = body.if_contains("default");
        if(defaults && !defaults->is_object())
            return fail(400, "api.assert.invalid_type", "Wrong type for argument \"body.default\" (expected: object).");
        if(!creates)
            return changes->get_object();
        boost::json::object made = defaults ? defaults->get_object() : boost::json::object();
        for(auto const& kv : changes->get_object())
            made[kv.key()] = kv.value();
        return made;
    }

    document_change change_of(batch const& b, std::string const& id) const
    {
        document_change c;
        c.index = b.index;
        c.collection = b.collection;
        c.id = id.empty() ? boost::json::value(nullptr) : boost::json::value(id);
        c.node = std::string(b.ctx.node);
        c.protocol = std::string(b.ctx.protocol);
        c.request_id = detail::string_of(b.req, "requestId");
        c.timestamp = b.ctx.now_ms;
        if(auto const* v = b.req.if_contains("volatile"); v && v->is_object())
            c.volatile_data = v->as_object();
        return c;
    }

    /** Writes one document (`body`: its content, or the patch of an update;
        unused by a delete), announcing it first and notifying after it.
    */
    std::variant<written, api_failure> write(write_kind kind, std::string id, boost::json::object const& body, batch& b)
    {
        auto const* found = id.empty() ? nullptr : store_.find(b.index, b.collection, id);
        std::optional<boost::json::object> upserted;
        if(kind == write_kind::create_or_replace)
            kind = found ? write_kind::replace : write_kind::create;
        else if(kind == write_kind::upsert)
        {
            auto made = upsert_body(body, !found);
            if(auto* f = std::get_if<api_failure>(&made))
                return std::move(*f);
            upserted = std::move(std::get<boost::json::object>(made));
            kind = found ? write_kind::update : write_kind::create;
        }
        auto const& content = upserted ? *upserted : body;
        if(kind == write_kind::create && found)
            return fail(409, "services.storage.document_already_exists", "Document \"" + id + "\" already exists.");
        if(kind != write_kind::create && !found)
            return not_found(id, b);
        auto c = change_of(b, id);
        if(opts_.pending_notifications && !b.silent && kind != write_kind::update)
        {
            auto soon = c;
            soon.action = kind == write_kind::create    ? document_action::create
                          : kind == write_kind::replace ? document_action::replace
                                                        : document_action::remove;
            if(kind == write_kind::remove)
                soon.before = found->source;
            else
                soon.after = content;
            auto ns = announce_document(b.rooms, soon, b.action);
            b.out.announced.insert(b.out.announced.end(), std::make_move_iterator(ns.begin()),
                                   std::make_move_iterator(ns.end()));
        }
        written w{id, kind == write_kind::create, std::nullopt};
        if(kind == write_kind::remove)
        {
            c.action = document_action::remove;
            c.version = found->version + 1;
            c.before = *store_.remove(b.index, b.collection, id);
            w.removed = c.before;
        }
        else if(kind == write_kind::create)
        {
            auto source = content;
            source["_kuzzle_info"] = {{"author", "-1"}, {"createdAt", b.ctx.now_ms}, {"updatedAt", nullptr}, {"updater", nullptr}};
            auto made = store_.create(b.index, b.collection, id, std::move(source), b.ctx.node);
            if(auto* r = std::get_if<store_refusal>(&made))
                return fail(r->status, std::move(r->id), std::move(r->message));
            w.id = std::move(std::get<std::string>(made));
            c.id = w.id;
            c.action = document_action::create;
        }
        else
        {
            boost::json::object next = found->source;
            boost::json::value info = next.contains("_kuzzle_info") ? next.at("_kuzzle_info") : boost::json::object();
            std::vector<std::string> changed;
            if(kind == write_kind::replace)
                next = content;
            else
            {
                auto patch = content;
                patch.erase("_kuzzle_info");
                merge(next, patch, "", changed);
            }
            if(info.is_object())
            {
                info.as_object()["updatedAt"] = b.ctx.now_ms;
                info.as_object()["updater"] = "-1";
            }
            next["_kuzzle_info"] = std::move(info);
            auto before = store_.replace(b.index, b.collection, id, std::move(next), b.ctx.node);
            if(auto* r = std::get_if<store_refusal>(&before))
                return fail(r->status, std::move(r->id), std::move(r->message));
            c.action = kind == write_kind::replace ? document_action::replace : document_action::update;
            c.updated_fields = std::move(changed);
            c.before = std::move(std::get<boost::json::object>(before));
        }
        if(kind != write_kind::remove)
        {
            auto const& stored = *store_.find(b.index, b.collection, w.id);
            c.after = stored.source;
            c.version = stored.version;
        }
        c.silent = b.silent;
        if(!b.silent)
        {
            auto ns = notify_document(b.rooms, c);
            b.out.caused.insert(b.out.caused.end(), std::make_move_iterator(ns.begin()), std::make_move_iterator(ns.end()));
        }
        b.out.changes.push_back(std::move(c)); // a silent one too: the other nodes of a cluster store it
        return w;
    }

    /// `{_id, _version, _source}` of a stored document.
    boost::json::object stored(batch const& b, std::string const& id) const
    {
        auto const& d = *store_.find(b.index, b.collection, id);
        return {{"_id", id}, {"_version", d.version}, {"_source", d.source}};
    }

    /// The `_id` argument: a non-empty string, required unless `optional`.
    static std::variant<std::string, api_failure> id_of(boost::json::object const& o, bool optional, std::string_view name)
    {
        auto const* i = o.if_contains("_id");
        if(!i || i->is_null())
        {
            if(optional)
                return std::string();
            return fail(400, "api.assert.missing_argument", "Missing argument \"" + std::string(name) + "\".");
        }
        if(!i->is_string() || i->as_string().empty())
            return fail(400, "api.assert.invalid_type",
                        "Wrong type for argument \"" + std::string(name) + "\" (expected: non-empty string).");
        return std::string(i->as_string());
    }

    static std::optional<write_kind> kind_of(std::string_view action)
    {
        constexpr std::pair<std::string_view, write_kind> kinds[] = {
            {"create", write_kind::create},   {"replace", write_kind::replace},
            {"update", write_kind::update},   {"delete", write_kind::remove},
            {"createOrReplace", write_kind::create_or_replace}, {"upsert", write_kind::upsert},
            {"mCreate", write_kind::create},  {"mCreateOrReplace", write_kind::create_or_replace},
            {"mReplace", write_kind::replace}, {"mUpdate", write_kind::update},
            {"mDelete", write_kind::remove}};
        for(auto const& [name, kind] : kinds)
            if(name == action)
                return kind;
        return std::nullopt;
    }

    api_outcome run(std::string_view action, boost::json::object const& req, request_context const& ctx,
                    room_registry& rooms, document_response& out)
    {
        if(!has_action(action))
            return fail(404, "api.process.action_not_found", "API action \"document\":\"" + std::string(action) + "\" not found.");
        batch b{{}, {}, req, ctx, rooms, out, action, detail::flag_of(req, "silent")};
        if(auto f = detail::where(req, b.index, b.collection))
            return *f;
        if(action == "search")
            return search(b);
        if(action == "deleteByQuery")
            return delete_by_query(b);
        if(action.starts_with('m'))
            return many(*kind_of(action), b);
        auto id = id_of(req, action == "create", "_id");
        if(auto* f = std::get_if<api_failure>(&id))
            return std::move(*f);
        auto& doc_id = std::get<std::string>(id);
        if(action == "exists")
            return boost::json::value(store_.find(b.index, b.collection, doc_id) != nullptr);
        if(action == "get")
        {
            if(!store_.find(b.index, b.collection, doc_id))
                return not_found(doc_id, b);
            return stored(b, doc_id);
        }
        auto const kind = *kind_of(action);
        static boost::json::object const none;
        auto const* body = &none;
        if(kind != write_kind::remove)
        {
            auto r = detail::body_of(req, false);
            if(auto* f = std::get_if<api_failure>(&r))
                return std::move(*f);
            body = std::get<boost::json::object const*>(r);
        }
        auto w = write(kind, doc_id, *body, b);
        if(auto* f = std::get_if<api_failure>(&w))
            return std::move(*f);
        auto& done = std::get<written>(w);
        bool const source = detail::flag_of(req, "source");
        if(kind == write_kind::remove)
        {
            boost::json::object r{{"_id", done.id}};
            if(source)
                r["_source"] = std::move(*done.removed);
            return r;
        }
        auto r = stored(b, done.id);
        if(kind == write_kind::upsert && !source)
            r.erase("_source");
        if(kind == write_kind::create_or_replace || kind == write_kind::upsert)
            r["created"] = done.created;
        return r;
    }

    /// mCreate, mCreateOrReplace, mReplace, mUpdate (`body.documents`: `{_id, body}`) and mDelete (`body.ids`).
    api_outcome many(write_kind kind, batch& b)
    {
        auto r = detail::body_of(b.req, false);
        if(auto* f = std::get_if<api_failure>(&r))
            return std::move(*f);
        auto const& body = *std::get<boost::json::object const*>(r);
        bool const deleting = kind == write_kind::remove;
        char const* const key = deleting ? "ids" : "documents";
        auto const* list = body.if_contains(key);
        if(!list || !list->is_array())
            return fail(400, "api.assert.missing_argument", std::string("Missing argument \"body.") + key + "\" (expected: array).");
        if(list->get_array().size() > opts_.max_documents_per_write)
            return too_many(opts_.max_documents_per_write, "documents");
        boost::json::array successes, errors;
        static boost::json::object const none;
        for(auto const& item : list->get_array())
        {
            if(deleting)
            {
                if(!item.is_string() || item.get_string().empty())
                {
                    errors.push_back({{"_id", item}, {"reason", "Wrong type for an id (expected: non-empty string)."}});
                    continue;
                }
                auto w = write(kind, std::string(item.get_string()), none, b);
                if(auto* f = std::get_if<api_failure>(&w))
                    errors.push_back({{"_id", item}, {"reason", f->message}});
                else
                    successes.push_back(item);
                continue;
            }
            auto refused = [&](api_failure const& f) {
                boost::json::object document;
                if(item.is_object())
                {
                    auto const& o = item.get_object();
                    document["_id"] = o.contains("_id") ? o.at("_id") : nullptr;
                    document["body"] = o.contains("body") ? o.at("body") : nullptr;
                }
                errors.push_back({{"document", std::move(document)}, {"status", f.status}, {"reason", f.message}});
            };
            if(!item.is_object())
            {
                refused(fail(400, "api.assert.invalid_type", "Wrong type for a document (expected: object)."));
                continue;
            }
            auto const& o = item.get_object();
            auto id = id_of(o, kind == write_kind::create || kind == write_kind::create_or_replace, "_id");
            auto const* doc_body = o.if_contains("body");
            if(auto* f = std::get_if<api_failure>(&id))
                refused(*f);
            else if(!doc_body || !doc_body->is_object())
                refused(fail(400, "api.assert.invalid_type", "Wrong type for a document's \"body\" (expected: object)."));
            else
            {
                auto w = write(kind, std::move(std::get<std::string>(id)), doc_body->get_object(), b);
                if(auto* why = std::get_if<api_failure>(&w))
                    refused(*why);
                else
                {
                    auto const& done = std::get<written>(w);
                    auto s = stored(b, done.id);
                    if(kind == write_kind::create || kind == write_kind::create_or_replace)
                        s["created"] = done.created;
                    successes.push_back(std::move(s));
                }
            }
        }
        if(!errors.empty() && detail::flag_of(b.req, "strict")) // what succeeded stays written, as in Kuzzle
            return fail(206, "api.process.incomplete_multiple_request",
                        std::to_string(errors.size()) + " of " + std::to_string(list->get_array().size()) +
                            " documents failed (strict).");
        return boost::json::object{{"successes", std::move(successes)}, {"errors", std::move(errors)}};
    }

    /// The query of deleteByQuery and search: `body.query`, a Koncorde filter (absent or null: every document).
    std::variant<expr, api_failure> query_of(boost::json::object const& req) const
    {
        if(auto const* lang = req.if_contains("lang"); lang && !lang->is_null() && *lang != "koncorde")
            return fail(400, "api.assert.invalid_argument",
                        "Only the Koncorde DSL is supported here (\"lang\": \"koncorde\"), not Elasticsearch's.");
        auto r = detail::body_of(req, true);
        if(auto* f = std::get_if<api_failure>(&r))
            return std::move(*f);
        auto const* q = std::get<boost::json::object const*>(r)->if_contains("query");
        if(!q || q->is_null())
            return expr{};
        auto e = parse_filter(*q, opts_.filters);
        if(!e)
            return fail(400, "api.assert.koncorde_dsl_error", e.error().to_string());
        return std::move(*e);
    }

    /// The ids of the documents `query` matches, in order.
    std::vector<std::string> matching(batch const& b, expr const& query) const
    {
        std::vector<std::string> ids;
        store_.for_each(b.index, b.collection, [&](std::string const& id, stored_document const& d) {
            if(evaluate(query, detail::tested(d.source, boost::json::value(id))))
                ids.push_back(id);
        });
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    api_outcome delete_by_query(batch& b)
    {
        auto q = query_of(b.req);
        if(auto* f = std::get_if<api_failure>(&q))
            return std::move(*f);
        auto const ids = matching(b, std::get<expr>(q));
        if(ids.size() > opts_.max_documents_per_write)
            return too_many(opts_.max_documents_per_write, "documents to delete");
        bool const source = detail::flag_of(b.req, "source");
        static boost::json::object const none;
        boost::json::array documents, deleted;
        for(auto const& id : ids)
        {
            auto w = write(write_kind::remove, id, none, b);
            auto& done = std::get<written>(w); // the id was just found: the delete cannot fail
            boost::json::object d{{"_id", id}};
            if(source)
                d["_source"] = std::move(*done.removed);
            documents.push_back(std::move(d));
            deleted.push_back(boost::json::value(id));
        }
        return boost::json::object{{"documents", std::move(documents)}, {"ids", std::move(deleted)}};
    }

    /// A non-negative integer argument, `fallback` when absent.
    static std::variant<std::size_t, api_failure> count_of(boost::json::object const& req, std::string_view key,
                                                           std::size_t fallback)
    {
        auto const* v = req.if_contains(key);
        if(!v || v->is_null())
            return fallback;
        if(v->is_uint64())
            return static_cast<std::size_t>(v->get_uint64());
        if(v->is_int64() && v->get_int64() >= 0)
            return static_cast<std::size_t>(v->get_int64());
        return fail(400, "api.assert.invalid_type",
                    "Wrong type for argument \"" + std::string(key) + "\" (expected: non-negative integer).");
    }

    api_outcome search(batch& b)
    {
        auto from = count_of(b.req, "from", 0);
        if(auto* f = std::get_if<api_failure>(&from))
            return std::move(*f);
        auto size = count_of(b.req, "size", 10);
        if(auto* f = std::get_if<api_failure>(&size))
            return std::move(*f);
        auto const first = std::get<std::size_t>(from), count = std::get<std::size_t>(size);
        if(first > opts_.max_documents_per_fetch || count > opts_.max_documents_per_fetch - first)
            return fail(400, "services.storage.get_limit_exceeded",
                        "from + size exceeds the server's limit (" + std::to_string(opts_.max_documents_per_fetch) + ").");
        if(b.req.contains("scroll"))
            return fail(400, "api.assert.invalid_argument", "The \"scroll\" option is not supported by this server.");
        if(auto const* body = b.req.if_contains("body"); body && body->is_object())
            for(auto const* key : {"sort", "aggregations", "aggs"})
                if(auto const* v = body->get_object().if_contains(key);
                   v && !v->is_null() && !(v->is_array() && v->get_array().empty()) &&
                   !(v->is_object() && v->get_object().empty()))
                    return fail(400, "api.assert.invalid_argument",
                                "\"body." + std::string(key) + "\" is not supported by this server (hits come in _id order).");
        auto q = query_of(b.req);
        if(auto* f = std::get_if<api_failure>(&q))
            return std::move(*f);
        auto const ids = matching(b, std::get<expr>(q));
        boost::json::array hits;
        std::size_t bytes = 0;
        for(std::size_t i = first; i < ids.size() && i - first < count; ++i)
        {
            auto const& d = *store_.find(b.index, b.collection, ids[i]);
            bytes += d.bytes;
            if(bytes > opts_.max_search_bytes)
                return fail(413, "services.storage.search_too_large",
                            "The documents found are larger than " + std::to_string(opts_.max_search_bytes) +
                                " bytes together; ask for fewer (size).");
            hits.push_back({{"_id", ids[i]}, {"_score", 1}, {"_source", d.source}});
        }
        return boost::json::object{{"hits", std::move(hits)}, {"total", ids.size()}};
    }

    document_controller_options opts_;
    document_store store_;
};

} // namespace rtnotify::rooms

#endif
