// The subscribers the other nodes of a cluster have in their rooms, as they report them, for cluster-wide counts.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_REMOTE_COUNTS_HPP
#define RTNOTIFY_ROOMS_REMOTE_COUNTS_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

/// Bounds of a `remote_counts`; the defaults hold a cluster of 8 nodes of 200,000 subscriptions each.
struct remote_counts_limits
{
    std::size_t max_entries = 1600000;              ///< (node, room) pairs with subscribers; beyond: a report is refused
    std::size_t max_bytes = std::size_t(256) << 20; ///< of those entries, as `bytes()` counts them; beyond: refused
    std::size_t max_nodes = 256;                    ///< nodes reporting; beyond: a new node's report is refused
};

/// One room of another node, as it reports it.
struct remote_room
{
    std::string room_id;
    std::string index;
    std::string collection;
    std::size_t count = 0; ///< its subscribers on that node
};

/** What the other nodes of a cluster report of their rooms: for each node
    and room, the subscribers it has there.

    Reports are absolute (the node's count after a change), so a lost one
    is mended by the next one on that room. Each node also sends, now and
    then, a snapshot of every room where it has subscribers, in parts; the
    last part drops that node's rooms the snapshot did not name (they
    emptied while a report was lost, or the node started again). A node
    not heard from for a while is forgotten (`forget_silent`): it died or
    lost its link.

    Bounded in entries, bytes and nodes; a report past a bound is refused
    and counted (`refused()`), the counts stay as they were.
*/
class remote_counts
{
public:
    /// What an entry weighs in `max_bytes` besides its room id, index and collection.
    static constexpr std::size_t entry_overhead = 160;

    explicit remote_counts(remote_counts_limits limits = {}) : limits_(limits) {}

    /** Node `node` has `r.count` subscribers in room `r.room_id` (0: none)
        at `now_ms`. @return false when refused (a bound).
    */
    bool set(std::string_view node, remote_room const& r, std::int64_t now_ms)
    {
        auto* n = heard(node, now_ms);
        if(!n)
            return r.count == 0;
        return put(*n, r, n->snapshot);
    }

    /** Part of snapshot `number` of `node`: the rooms where it has
        subscribers. With `last`, its rooms this snapshot did not name are
        dropped. @return the rooms refused (bounds).
    */
    std::size_t snapshot(std::string_view node, std::uint64_t number, bool last, std::vector<remote_room> const& rooms,
                         std::int64_t now_ms)
    {
        auto* n = heard(node, now_ms);
        if(!n)
            return rooms.size();
        n->snapshot = number;
        std::size_t refused = 0;
        for(auto const& r : rooms)
            refused += put(*n, r, number) ? 0 : 1;
        if(last)
            for(auto it = n->rooms.begin(); it != n->rooms.end();)
                it = it->second.snapshot == number ? std::next(it) : drop(n->rooms, it);
        return refused;
    }

    /// Forgets the nodes not heard from since `now_ms - silence_ms`. @return their names.
    std::vector<std::string> forget_silent(std::int64_t now_ms, std::int64_t silence_ms)
    {
        std::vector<std::string> gone;
        for(auto it = nodes_.begin(); it != nodes_.end();)
            if(now_ms - it->second.heard_ms > silence_ms)
            {
                gone.push_back(it->first);
                for(auto r = it->second.rooms.begin(); r != it->second.rooms.end();)
                    r = drop(it->second.rooms, r);
                it = nodes_.erase(it);
            }
            else
                ++it;
        return gone;
    }

    /// The subscribers of room `room_id` on every other node.
    std::size_t total(std::string_view room_id) const
    {
        auto it = rooms_.find(std::string(room_id));
        return it == rooms_.end() ? 0 : it->second.count;
    }

    /// The index and collection of a room some other node has subscribers in; empty if none has.
    std::optional<std::pair<std::string, std::string>> collection_of(std::string_view room_id) const
    {
        auto it = rooms_.find(std::string(room_id));
        if(it == rooms_.end())
            return std::nullopt;
        return std::pair{it->second.index, it->second.collection};
    }

    /// Calls `f(room)` for each room some other node has subscribers in, `count` summed over the nodes.
    void for_each_room(std::function<void(remote_room const&)> const& f) const
    {
        for(auto const& [id, r] : rooms_)
            f({id, r.index, r.collection, r.count});
    }

    /// (node, room) pairs with subscribers.
    std::size_t entries() const noexcept { return entries_; }

    /// Their bytes, as `max_bytes` counts them.
    std::size_t bytes() const noexcept { return bytes_; }

    /// Nodes heard from and not forgotten.
    std::size_t nodes() const noexcept { return nodes_.size(); }

    /// Reports refused since the start (a bound).
    std::uint64_t refused() const noexcept { return refused_; }

    remote_counts_limits const& limits() const noexcept { return limits_; }

private:
    struct entry
    {
        std::size_t count = 0;
        std::uint64_t snapshot = 0; ///< the last snapshot that named it, or the one current when it was reported
        std::size_t bytes = 0;      ///< its weight in `bytes_`
    };

    struct node_state
    {
        std::int64_t heard_ms = 0;
        std::uint64_t snapshot = 0; ///< the node's latest snapshot number
        std::unordered_map<std::string, entry> rooms;
    };

    struct room_total
    {
        std::string index;
        std::string collection;
        std::size_t count = 0; ///< over the nodes
        std::size_t nodes = 0; ///< the nodes with an entry for it
    };

    using node_rooms = std::unordered_map<std::string, entry>;

    /// The state of `node`, heard at `now_ms`; null (and counted) when it would be one node too many.
    node_state* heard(std::string_view node, std::int64_t now_ms)
    {
        auto it = nodes_.find(node);
        if(it == nodes_.end())
        {
            if(nodes_.size() >= limits_.max_nodes)
            {
                ++refused_;
                return nullptr;
            }
            it = nodes_.emplace(std::string(node), node_state{}).first;
        }
        it->second.heard_ms = now_ms;
        return &it->second;
    }

    std::size_t weight(remote_room const& r) const
    {
        return r.room_id.size() * 2 + r.index.size() + r.collection.size() + entry_overhead;
    }

    /// Sets `n`'s count for `r`, marked with `snapshot`; false (counted) past a bound.
    bool put(node_state& n, remote_room const& r, std::uint64_t snapshot)
    {
        auto it = n.rooms.find(r.room_id);
        if(r.count == 0)
        {
            if(it != n.rooms.end())
                drop(n.rooms, it);
            return true;
        }
        if(it == n.rooms.end())
        {
            auto const w = weight(r);
            if(entries_ >= limits_.max_entries || w > limits_.max_bytes - std::min(bytes_, limits_.max_bytes))
            {
                ++refused_;
                return false;
            }
            auto& total = rooms_[r.room_id];
            if(total.nodes++ == 0)
            {
                total.index = r.index;
                total.collection = r.collection;
            }
            ++entries_;
            bytes_ += w;
            it = n.rooms.emplace(r.room_id, entry{0, 0, w}).first;
        }
        auto& total = rooms_.at(r.room_id);
        total.count = total.count - it->second.count + r.count;
        it->second.count = r.count;
        it->second.snapshot = snapshot;
        return true;
    }

    /// Removes entry `it` of a node's `rooms`. @return the next entry.
    node_rooms::iterator drop(node_rooms& rooms, node_rooms::iterator it)
    {
        auto t = rooms_.find(it->first);
        t->second.count -= it->second.count;
        bytes_ -= it->second.bytes;
        --entries_;
        if(--t->second.nodes == 0)
            rooms_.erase(t);
        return rooms.erase(it);
    }

    remote_counts_limits limits_;
    std::map<std::string, node_state, std::less<>> nodes_;
    std::unordered_map<std::string, room_total> rooms_;
    std::size_t entries_ = 0;
    std::size_t bytes_ = 0;
    std::uint64_t refused_ = 0;
};

} // namespace rtnotify::rooms

#endif
