// Runs a libFuzzer target on files and folders of inputs, for compilers
// without libFuzzer. Arguments starting with '-' are ignored (libFuzzer flags).
// SPDX-License-Identifier: BSL-1.0
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

void run_file(std::filesystem::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size());
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t runs = 0;
    for(int i = 1; i < argc; ++i)
    {
        std::filesystem::path const p = argv[i];
        if(argv[i][0] == '-')
            continue;
        if(!std::filesystem::exists(p))
        {
            std::cerr << "no such file or directory: " << p << '\n';
            return 1;
        }
        if(std::filesystem::is_directory(p))
        {
            for(auto const& e : std::filesystem::recursive_directory_iterator(p))
                if(e.is_regular_file())
                    run_file(e.path()), ++runs;
        }
        else
            run_file(p), ++runs;
    }
    std::cout << "replayed " << runs << " inputs\n";
    return 0;
}
