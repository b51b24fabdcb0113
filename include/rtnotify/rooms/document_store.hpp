// An in-memory store of JSON documents by index, collection and id, bounded in count and bytes.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DOCUMENT_STORE_HPP
#define RTNOTIFY_ROOMS_DOCUMENT_STORE_HPP

#include <rtnotify/detail/random.hpp>
#include <rtnotify/rooms/detail/collection_key.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

namespace rtnotify::rooms {

/// Limits of a `document_store`; the defaults are safe for documents from the network.
struct document_store_limits
{
    std::size_t max_documents = 100000;                  ///< documents in all; beyond: 503
    std::size_t max_document_bytes = 64 * 1024;          ///< one document, as JSON text with its id; beyond: 413
    std::size_t max_store_bytes = std::size_t(64) << 20; ///< every document together; beyond: 503
};

/// A document of a `document_store`.
struct stored_document
{
    boost::json::object source;
    std::uint64_t version = 1;
    std::size_t bytes = 0; ///< `source` as JSON text, with the id: what the limits count
    std::string writer;    ///< the node that wrote this version (in a cluster; else empty)
};

/// What `document_store::apply_replica` did.
enum class replica_outcome
{
    applied, ///< the store holds the other node's version now
    older,   ///< the store holds a newer version (or the same, which wins): kept
    refused, ///< past the store's limits: kept as it was
};

/// Why a `document_store` refused a write, in Kuzzle's terms: HTTP status, error id, sentence.
struct store_refusal
{
    int status = 503;
    std::string id;
    std::string message;
};

/** Documents by index, collection and id, as Kuzzle's document controller
    keeps them (without Kuzzle's `_kuzzle_info`, which is the caller's).

    Every write is checked against `document_store_limits` before anything
    changes; a refused write leaves the store as it was.
*/
class document_store
{
public:
    explicit document_store(document_store_limits limits = {}) : limits_(limits) {}

    /// Document `id` of `index`/`collection`, or null.
    stored_document const* find(std::string_view index, std::string_view collection, std::string const& id) const
    {
        return const_cast<document_store*>(this)->find_mutable(index, collection, id);
    }

    /** Stores `source` as a new document `id` (empty: a new random id of 20
        characters); `id` must not be stored yet.
        @return the document's id, or why it was refused.
    */
    std::variant<std::string, store_refusal> create(std::string_view index, std::string_view collection, std::string id,
                                                    boost::json::object source, std::string_view writer = {})
    {
        if(documents_ >= limits_.max_documents)
            return store_refusal{503, "services.storage.too_many_documents",
                                 "The store is full (" + std::to_string(limits_.max_documents) + " documents)."};
        auto const k = detail::collection_key(index, collection);
        auto coll = collections_.find(k); // a collection is there while it holds documents
        if(id.empty())
            do
                id = rtnotify::detail::random_id(20);
            while(coll != collections_.end() && coll->second.contains(id));
        stored_document d{std::move(source), 1, 0, std::string(writer)};
        d.bytes = id.size() + boost::json::serialize(d.source).size();
        if(auto r = over_limits(id, d.bytes, 0))
            return std::move(*r);
        if(coll == collections_.end())
            coll = collections_.emplace(k, collection_map{}).first;
        bytes_ += d.bytes;
        ++documents_;
        coll->second.emplace(id, std::move(d));
        return id;
    }

    /** Gives stored document `id` the source `source` (one more version).
        @return the source it had, or why it was refused (also when there is no such document).
    */
    std::variant<boost::json::object, store_refusal> replace(std::string_view index, std::string_view collection,
                                                            std::string const& id, boost::json::object source,
                                                            std::string_view writer = {})
    {
        auto* d = find_mutable(index, collection, id);
        if(!d)
            return store_refusal{404, "services.storage.not_found", "Document \"" + id + "\" not found."};
        auto const bytes = id.size() + boost::json::serialize(source).size();
        if(auto r = over_limits(id, bytes, d->bytes))
            return std::move(*r);
        bytes_ = bytes_ - d->bytes + bytes;
        d->bytes = bytes;
        ++d->version;
        d->writer = writer;
        return std::exchange(d->source, std::move(source));
    }

    /** Takes version `version` of document `id` that node `writer` made
        (`source`; none: deleted) if it is newer than the one here: a higher
        version, or for a write the same version by a writer whose id sorts
        after this one's. A delete never wins a tie, and a document not here
        takes any write: so nodes that see each other's changes in one order
        end with the same document, without remembering deletes.
    */
    replica_outcome apply_replica(std::string_view index, std::string_view collection, std::string const& id,
                                  std::optional<boost::json::object> source, std::uint64_t version, std::string_view writer)
    {
        auto* d = find_mutable(index, collection, id);
        bool const newer = !d || version > d->version || (source && version == d->version && writer > d->writer);
        if(!newer)
            return replica_outcome::older;
        if(!source)
        {
            remove(index, collection, id);
            return replica_outcome::applied;
        }
        auto const bytes = id.size() + boost::json::serialize(*source).size();
        if(over_limits(id, bytes, d ? d->bytes : 0) || (!d && documents_ >= limits_.max_documents))
            return replica_outcome::refused;
        if(!d)
        {
            auto const k = detail::collection_key(index, collection);
            auto coll = collections_.try_emplace(k).first;
            d = &coll->second.emplace(id, stored_document{}).first->second;
            ++documents_;
        }
        bytes_ = bytes_ - d->bytes + bytes;
        *d = {std::move(*source), version, bytes, std::string(writer)};
        return replica_outcome::applied;
    }

    /// Removes document `id`. @return its source, or nothing when there is no such document.
    std::optional<boost::json::object> remove(std::string_view index, std::string_view collection,
                                              std::string const& id)
    {
        auto c = collections_.find(detail::collection_key(index, collection));
        if(c == collections_.end())
            return std::nullopt;
        auto d = c->second.find(id);
        if(d == c->second.end())
            return std::nullopt;
        auto source = std::move(d->second.source);
        bytes_ -= d->second.bytes;
        --documents_;
        c->second.erase(d);
        if(c->second.empty())
            collections_.erase(c);
        return source;
    }

    /// Calls `f(id, document)` for each document of `index`/`collection`, in no particular order.
    template<class F>
    void for_each(std::string_view index, std::string_view collection, F&& f) const
    {
        auto c = collections_.find(detail::collection_key(index, collection));
        if(c != collections_.end())
            for(auto const& [id, d] : c->second)
                f(id, d);
    }

    /// The number of documents.
    std::size_t size() const noexcept { return documents_; }

    /// The bytes of every document together, as the limits count them.
    std::size_t bytes() const noexcept { return bytes_; }

    document_store_limits const& limits() const noexcept { return limits_; }

private:
    using collection_map = std::unordered_map<std::string, stored_document>;

    stored_document* find_mutable(std::string_view index, std::string_view collection, std::string const& id)
    {
        auto c = collections_.find(detail::collection_key(index, collection));
        if(c == collections_.end())
            return nullptr;
        auto d = c->second.find(id);
        return d == c->second.end() ? nullptr : &d->second;
    }

    /// Why a document of `bytes` cannot replace one of `old_bytes` (0: a new one), or nothing.
    std::optional<store_refusal> over_limits(std::string const& id, std::size_t bytes, std::size_t old_bytes) const
    {
        if(bytes > limits_.max_document_bytes)
            return store_refusal{413, "api.assert.document_too_large",
                                 "Document \"" + id + "\" would be larger than " +
                                     std::to_string(limits_.max_document_bytes) + " bytes."};
        if(bytes_ - old_bytes + bytes > limits_.max_store_bytes)
            return store_refusal{503, "services.storage.store_full",
                                 "The store is full (" + std::to_string(limits_.max_store_bytes) + " bytes)."};
        return std::nullopt;
    }

    document_store_limits limits_;
    std::unordered_map<std::string, collection_map> collections_; ///< "index\0collection" → id → document
    std::size_t documents_ = 0;
    std::size_t bytes_ = 0;
};

} // namespace rtnotify::rooms

#endif
