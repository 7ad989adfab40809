//! `Client::from_env()`, then `list_secrets`: prints the secrets' count, or the error and exits 1.

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let client = match baseten_management::Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match client.list_secrets().send().await {
        Ok(secrets) => {
            println!("{} secrets", secrets.secrets.len());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::ExitCode::FAILURE
        }
    }
}
