// examples/load/delivery_ledger.hpp: which subscriber received which numbered message: lost, duplicated, out of order, complete.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_LOAD_DELIVERY_LEDGER_HPP
#define RTNOTIFY_EXAMPLES_LOAD_DELIVERY_LEDGER_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtnotify_examples {

/// What `delivery_ledger::received` made of a delivery.
enum class receipt
{
    first,        ///< the subscriber had not had this message
    duplicate,    ///< it had: counted in `duplicated()`
    unknown       ///< no message of that number was published: counted in `unknown()`
};

/** The load tool's account of deliveries. Messages are numbered 0, 1, 2, ...
    in the order they are published; every subscriber should receive each
    once. A sequence number comes from the network: one never published is
    counted, not trusted. Memory: a bit per subscriber and message, and four
    bytes per message.
*/
class delivery_ledger
{
public:
    /// A ledger for `subscribers` subscribers and no message yet.
    explicit delivery_ledger(std::size_t subscribers) : seen_(subscribers), highest_(subscribers, -1) {}

    /// Message number `published()` (the next one) is on its way; returns its number.
    std::uint64_t publish()
    {
        missing_by_message_.push_back(static_cast<std::uint32_t>(seen_.size()));
        if(seen_.empty())
            ++complete_;
        return missing_by_message_.size() - 1;
    }

    /// Subscriber `s` received message `seq`.
    receipt received(std::size_t s, std::uint64_t seq)
    {
        if(s >= seen_.size() || seq >= missing_by_message_.size())
        {
            ++unknown_;
            return receipt::unknown;
        }
        auto& bits = seen_[s];
        if(bits.size() <= seq)
            bits.resize(missing_by_message_.size());
        if(bits[seq])
        {
            ++duplicated_;
            return receipt::duplicate;
        }
        bits[seq] = true;
        if(static_cast<std::int64_t>(seq) < highest_[s])
            ++out_of_order_;
        else
            highest_[s] = static_cast<std::int64_t>(seq);
        ++delivered_;
        if(--missing_by_message_[seq] == 0)
            ++complete_;
        return receipt::first;
    }

    /// Messages published so far.
    std::uint64_t published() const noexcept { return missing_by_message_.size(); }
    /// Messages every subscriber has received.
    std::uint64_t complete() const noexcept { return complete_; }
    /// Whether every subscriber has received message `seq` (false for one never published).
    bool complete(std::uint64_t seq) const noexcept
    {
        return seq < missing_by_message_.size() && missing_by_message_[seq] == 0;
    }
    /// First receipts: (message, subscriber) pairs delivered.
    std::uint64_t delivered() const noexcept { return delivered_; }
    /// (message, subscriber) pairs still missing.
    std::uint64_t missing() const noexcept { return published() * seen_.size() - delivered_; }
    /// Receipts of a message the subscriber already had.
    std::uint64_t duplicated() const noexcept { return duplicated_; }
    /// First receipts of a message numbered below one the subscriber had already received.
    std::uint64_t out_of_order() const noexcept { return out_of_order_; }
    /// Receipts naming no published message (or no subscriber).
    std::uint64_t unknown() const noexcept { return unknown_; }

private:
    std::vector<std::vector<bool>> seen_;           // by subscriber, by message
    std::vector<std::int64_t> highest_;             // by subscriber: the highest message number received, -1 none
    std::vector<std::uint32_t> missing_by_message_; // subscribers yet to receive each message
    std::uint64_t complete_ = 0;
    std::uint64_t delivered_ = 0;
    std::uint64_t duplicated_ = 0;
    std::uint64_t out_of_order_ = 0;
    std::uint64_t unknown_ = 0;
};

} // namespace rtnotify_examples

#endif
