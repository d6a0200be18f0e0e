/** Features this adbd implements, and nothing else (the server picks protocols by them). */
export const FEATURES = ['shell_v2', 'fixed_push_mkdir'] as const;

export interface BannerProps {
  readonly name: string;
  readonly model: string;
  readonly device: string;
}

/** The CNXN identity: "device::ro.product.name=…;ro.product.model=…;ro.product.device=…;features=…". */
export function deviceBanner(props: BannerProps, features: readonly string[] = FEATURES): string {
  return `device::ro.product.name=${props.name};ro.product.model=${props.model};ro.product.device=${props.device};features=${features.join(',')}`;
}
