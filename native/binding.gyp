# The optional native kernel tier (see mini_jepa_native.cc). Linux: g++ and Debian's libdnnl-dev
# (measured here). macOS: Xcode's command-line tools and Homebrew's onednn and libomp (written for,
# not tested on this project's machines). Built by scripts/build-native.js with
# npm's own node-gyp, offline (--nodedir = the running Node's install prefix, which ships headers).
# Kept out of the package root on purpose: npm would otherwise build it itself during install and a
# failed build would fail `npm install`.
{
  "targets": [
    {
      "target_name": "mini_jepa_native",
      "sources": ["mini_jepa_native.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-O3", "-std=c++17", "-fexceptions"],
      "conditions": [
        ["OS=='linux'", {
          "cflags_cc": ["-fopenmp"],
          "libraries": ["-ldnnl", "-lgomp"]
        }],
        ["OS=='mac'", {
          "include_dirs": ["/opt/homebrew/include", "/usr/local/include", "/opt/homebrew/opt/libomp/include", "/usr/local/opt/libomp/include"],
          "libraries": ["-L/opt/homebrew/lib", "-L/usr/local/lib", "-L/opt/homebrew/opt/libomp/lib", "-L/usr/local/opt/libomp/lib", "-ldnnl", "-lomp"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-fexceptions", "-Xpreprocessor", "-fopenmp"]
          }
        }]
      ]
    }
  ]
}
